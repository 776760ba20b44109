//! Templates that include themselves, or macros that call themselves, directly or through
//! others, would recurse until the process runs out of stack and dies without a word.
//! Tera finds `extends` loops itself; this finds the other two before anything renders,
//! and names the chain.
//!
//! A recursive macro is refused even when it has a base case (a menu tree, say): kring
//! cannot know that the recursion ends. Nested structures are written with loops instead.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use tera::Tera;
use tera::ast::{Expr, ExprVal, Node};

/// A template (by name) or a macro (`file::name`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Unit {
    Template(String),
    Macro(String, String),
}

impl Unit {
    fn shown(&self) -> String {
        match self {
            Unit::Template(t) => t.clone(),
            Unit::Macro(file, name) => format!("macro {name} in {file}"),
        }
    }
}

/// The first include or macro cycle among `tera`'s templates, as the template to blame and
/// the chain, e.g. `page.html → partials/x.html → page.html`.
pub fn find_cycle(tera: &Tera) -> Option<(String, String)> {
    let mut edges: BTreeMap<Unit, BTreeSet<Unit>> = BTreeMap::new();
    for (name, template) in &tera.templates {
        let imports: HashMap<&str, &str> = template
            .imported_macro_files
            .iter()
            .map(|(file, namespace)| (namespace.as_str(), file.as_str()))
            .collect();
        let resolve = |namespace: &str, macro_name: &str| -> Unit {
            let file = if namespace == "self" {
                name.as_str()
            } else {
                imports.get(namespace).copied().unwrap_or(namespace)
            };
            Unit::Macro(file.to_string(), macro_name.to_string())
        };
        let mut uses = Vec::new();
        collect_nodes(&template.ast, &mut uses);
        edges
            .entry(Unit::Template(name.clone()))
            .or_default()
            .extend(uses.iter().map(|u| u.to_unit(&resolve)));
        for (macro_name, definition) in &template.macros {
            let mut uses = Vec::new();
            collect_nodes(&definition.body, &mut uses);
            edges
                .entry(Unit::Macro(name.clone(), macro_name.clone()))
                .or_default()
                .extend(uses.iter().map(|u| u.to_unit(&resolve)));
        }
    }
    // Depth-first, iteratively, so a hostile template cannot overflow this check either.
    let mut done: BTreeSet<&Unit> = BTreeSet::new();
    for start in edges.keys() {
        if done.contains(start) {
            continue;
        }
        let mut path: Vec<&Unit> = vec![start];
        let mut stack: Vec<Vec<&Unit>> = vec![edge_list(&edges, start)];
        while let Some(next) = stack.last_mut() {
            match next.pop() {
                Some(unit) => {
                    if let Some(at) = path.iter().position(|u| *u == unit) {
                        let chain: Vec<String> = path[at..]
                            .iter()
                            .chain(std::iter::once(&unit))
                            .map(|u| u.shown())
                            .collect();
                        let blame = match path[at] {
                            Unit::Template(t) | Unit::Macro(t, _) => t.clone(),
                        };
                        return Some((blame, chain.join(" → ")));
                    }
                    if done.contains(unit) {
                        continue;
                    }
                    path.push(unit);
                    stack.push(edge_list(&edges, unit));
                }
                None => {
                    stack.pop();
                    if let Some(finished) = path.pop() {
                        done.insert(finished);
                    }
                }
            }
        }
    }
    None
}

fn edge_list<'a>(edges: &'a BTreeMap<Unit, BTreeSet<Unit>>, unit: &Unit) -> Vec<&'a Unit> {
    edges
        .get(unit)
        .map(|e| e.iter().rev().collect())
        .unwrap_or_default()
}

/// What a piece of a template uses: templates it includes, macros it calls.
enum Use {
    Include(String),
    Call(String, String),
}

impl Use {
    fn to_unit(&self, resolve: &dyn Fn(&str, &str) -> Unit) -> Unit {
        match self {
            Use::Include(t) => Unit::Template(t.clone()),
            Use::Call(namespace, name) => resolve(namespace, name),
        }
    }
}

fn collect_nodes(nodes: &[Node], uses: &mut Vec<Use>) {
    for node in nodes {
        match node {
            Node::Include(_, names, _) => uses.extend(names.iter().cloned().map(Use::Include)),
            Node::VariableBlock(_, e) => collect_expr(e, uses),
            Node::Set(_, set) => collect_expr(&set.value, uses),
            Node::FilterSection(_, f, _) => {
                f.filter.args.values().for_each(|e| collect_expr(e, uses));
                collect_nodes(&f.body, uses);
            }
            Node::Block(_, block, _) => collect_nodes(&block.body, uses),
            Node::Forloop(_, forloop, _) => {
                collect_expr(&forloop.container, uses);
                collect_nodes(&forloop.body, uses);
                if let Some(empty) = &forloop.empty_body {
                    collect_nodes(empty, uses);
                }
            }
            Node::If(branches, _) => {
                for (_, condition, body) in &branches.conditions {
                    collect_expr(condition, uses);
                    collect_nodes(body, uses);
                }
                if let Some((_, body)) = &branches.otherwise {
                    collect_nodes(body, uses);
                }
            }
            // Macro bodies are collected as macros of their own.
            _ => {}
        }
    }
}

fn collect_expr(expr: &Expr, uses: &mut Vec<Use>) {
    for filter in &expr.filters {
        filter.args.values().for_each(|e| collect_expr(e, uses));
    }
    match &expr.val {
        ExprVal::MacroCall(call) => {
            uses.push(Use::Call(call.namespace.clone(), call.name.clone()));
            call.args.values().for_each(|e| collect_expr(e, uses));
        }
        ExprVal::FunctionCall(call) => call.args.values().for_each(|e| collect_expr(e, uses)),
        ExprVal::Math(m) => {
            collect_expr(&m.lhs, uses);
            collect_expr(&m.rhs, uses);
        }
        ExprVal::Logic(l) => {
            collect_expr(&l.lhs, uses);
            collect_expr(&l.rhs, uses);
        }
        ExprVal::In(i) => {
            collect_expr(&i.lhs, uses);
            collect_expr(&i.rhs, uses);
        }
        ExprVal::Test(t) => t.args.iter().for_each(|e| collect_expr(e, uses)),
        ExprVal::Array(items) => items.iter().for_each(|e| collect_expr(e, uses)),
        ExprVal::StringConcat(concat) => {
            for value in &concat.values {
                if let ExprVal::MacroCall(call) = value {
                    uses.push(Use::Call(call.namespace.clone(), call.name.clone()));
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tera(templates: &[(&str, &str)]) -> Tera {
        let mut tera = Tera::default();
        tera.add_raw_templates(templates.to_vec()).unwrap();
        tera
    }

    #[test]
    fn finds_include_and_macro_cycles_with_their_chain() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (
                &[("page.html", "a{% include \"page.html\" %}")],
                "page.html → page.html",
            ),
            (
                &[
                    ("a.html", "{% if x %}{% include \"b.html\" %}{% endif %}"),
                    (
                        "b.html",
                        "{% for i in y %}{% include \"a.html\" %}{% endfor %}",
                    ),
                ],
                "a.html → b.html → a.html",
            ),
            (
                &[(
                    "m.html",
                    "{% macro m(n) %}{{ self::m(n=n) }}{% endmacro m %}",
                )],
                "macro m in m.html → macro m in m.html",
            ),
            (
                &[
                    (
                        "m.html",
                        "{% macro a() %}{% set x = self::b() %}{% endmacro a %}{% macro b() %}{{ 1 + self::a() | length }}{% endmacro b %}",
                    ),
                    ("page.html", "{% import \"m.html\" as m %}{{ m::a() }}"),
                ],
                "macro a in m.html → macro b in m.html → macro a in m.html",
            ),
        ];
        for (templates, chain) in cases {
            let found = find_cycle(&tera(templates)).map(|(_, c)| c);
            assert_eq!(found.as_deref(), Some(*chain), "{templates:?}");
        }
    }

    #[test]
    fn accepts_includes_and_macros_that_end() {
        let t = tera(&[
            (
                "base.html",
                "{% include \"part.html\" %}{% include \"part.html\" %}",
            ),
            ("part.html", "{% import \"m.html\" as m %}{{ m::a() }}"),
            (
                "m.html",
                "{% macro a() %}{{ self::b() }}{% endmacro a %}{% macro b() %}b{% endmacro b %}",
            ),
        ]);
        assert_eq!(find_cycle(&t), None);
    }
}
