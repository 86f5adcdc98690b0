//! The parser's lists are allocated at their final length (no room left over from growing
//! them push by push), and a string literal written several times is one shared value: what
//! keeps a chart's parsed templates small. Their shape and printing stay as before.

use std::sync::Arc;

use gotmpl::ast::{Arg, Command, List, Node, Pipe};
use gotmpl::parser::parse;

const TEMPLATE: &str = r#"head {{ .Values.a.b.c }} {{ $x := .Values }}{{ $x.d.e }}
{{- define "inner" }}{{ include "common.names.fullname" . | quote }}{{ end }}
{{ if and .a (eq .b "on") }}{{ range $i, $v := .list }}{{ $i }}{{ $v.name }}{{ end }}
{{- else if .c }}{{ with .d }}{{ (printf "%s-%d" "on" 3).x }}{{ else }}none{{ end }}{{ end }}
{{ template "inner" (dict "on" "on" "n" 1.5) }} tail"#;

fn exact<T>(list: &Vec<T>, what: &str) {
    assert_eq!(list.capacity(), list.len(), "{what} has room left over");
}

fn check_list(list: &List) {
    exact(list, "node list");
    for node in list {
        match node {
            Node::Action(pipe) => check_pipe(pipe),
            Node::If(branch) | Node::With(branch) | Node::Range(branch) => {
                check_pipe(&branch.pipe);
                check_list(&branch.list);
                if let Some(list) = &branch.else_list {
                    check_list(list);
                }
            }
            Node::Template {
                pipe: Some(pipe), ..
            } => check_pipe(pipe),
            _ => {}
        }
    }
}

fn check_pipe(pipe: &Pipe) {
    exact(&pipe.cmds, "command list");
    pipe.cmds.iter().for_each(check_command);
}

fn check_command(cmd: &Command) {
    exact(&cmd.args, "argument list");
    cmd.args.iter().for_each(check_arg);
}

fn check_arg(arg: &Arg) {
    match arg {
        Arg::Field { names, .. } => exact(names, "field names"),
        Arg::Variable { fields, .. } => exact(fields, "variable fields"),
        Arg::Chain { node, fields, .. } => {
            exact(fields, "chain fields");
            check_arg(node);
        }
        Arg::Pipe(pipe) => check_pipe(pipe),
        _ => {}
    }
}

fn strings<'a>(list: &'a List, out: &mut Vec<&'a Arg>) {
    for node in list {
        let pipes: Vec<&Pipe> = match node {
            Node::Action(pipe) => vec![pipe],
            Node::If(branch) | Node::With(branch) | Node::Range(branch) => {
                strings(&branch.list, out);
                if let Some(list) = &branch.else_list {
                    strings(list, out);
                }
                vec![&branch.pipe]
            }
            Node::Template {
                pipe: Some(pipe), ..
            } => vec![pipe],
            _ => vec![],
        };
        for pipe in pipes {
            pipe_strings(pipe, out);
        }
    }
}

fn pipe_strings<'a>(pipe: &'a Pipe, out: &mut Vec<&'a Arg>) {
    for arg in pipe.cmds.iter().flat_map(|c| &c.args) {
        match arg {
            Arg::String { .. } => out.push(arg),
            Arg::Pipe(inner) => pipe_strings(inner, out),
            Arg::Chain { node, .. } => {
                if let Arg::Pipe(inner) = node.as_ref() {
                    pipe_strings(inner, out);
                }
            }
            _ => {}
        }
    }
}

#[test]
fn every_list_of_a_parse_is_allocated_at_its_length() {
    let parsed = parse("t", TEMPLATE, &|_| true, 100).unwrap();
    check_list(&parsed.root);
    assert_eq!(parsed.defines.len(), 1);
    check_list(&parsed.defines[0].1);
}

#[test]
fn a_string_literal_written_several_times_is_one_shared_value() {
    let parsed = parse("t", TEMPLATE, &|_| true, 100).unwrap();
    let mut found = Vec::new();
    strings(&parsed.root, &mut found);
    let ons: Vec<(&Arc<str>, &Arc<str>)> = found
        .iter()
        .filter_map(|arg| match arg {
            Arg::String { quoted, value, .. } if &**value == "on" => Some((quoted, value)),
            _ => None,
        })
        .collect();
    assert_eq!(ons.len(), 4, "the four \"on\" literals");
    for (quoted, value) in &ons {
        assert_eq!(&***quoted, "\"on\"");
        assert!(Arc::ptr_eq(quoted, ons[0].0) && Arc::ptr_eq(value, ons[0].1));
    }
}

#[test]
fn nodes_print_as_written_after_a_parse_into_exact_lists() {
    let parsed = parse("t", TEMPLATE, &|_| true, 100).unwrap();
    let printed: Vec<String> = parsed
        .root
        .iter()
        .filter_map(|node| match node {
            Node::Action(pipe) => Some(pipe.to_string()),
            Node::If(branch) | Node::With(branch) | Node::Range(branch) => {
                Some(branch.pipe.to_string())
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        printed,
        [
            ".Values.a.b.c",
            "$x := .Values",
            "$x.d.e",
            "and .a (eq .b \"on\")",
        ]
    );
    let Some(Node::If(branch)) = parsed.root.iter().find(|n| matches!(n, Node::If(_))) else {
        panic!("no if in {:?}", parsed.root);
    };
    let Node::Range(range) = &branch.list[0] else {
        panic!("a range first in the if");
    };
    assert_eq!(range.pipe.to_string(), "$i, $v := .list");
    let else_list = branch.else_list.as_ref().unwrap();
    let Node::If(inner) = &else_list[0] else {
        panic!("else if");
    };
    let Node::With(with) = &inner.list[0] else {
        panic!("a with in the else if");
    };
    let Node::Action(chain) = &with.list[0] else {
        panic!("an action in the with");
    };
    assert_eq!(chain.to_string(), "(printf \"%s-%d\" \"on\" 3).x");
}
