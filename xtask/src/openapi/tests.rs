use crate::ir::*;
fn tys(t: &Type) -> String {
    let k = match &t.kind {
        Kind::List(i) => format!("[{}]", tys(i)),
        Kind::Map(i) => format!("{{{}}}", tys(i)),
        Kind::Struct(n) => format!("S:{n}"),
        Kind::Enum(n) => format!("E:{n}"),
        Kind::IntEnum(n) => format!("I:{n}"),
        Kind::Union(n) => format!("U:{n}"),
        k => format!("{k:?}"),
    };
    format!(
        "{k}{}{}",
        if t.sparse { "?" } else { "" },
        t.media_type
            .as_ref()
            .map(|m| format!("<{m}>"))
            .unwrap_or_default()
    )
}
fn mem(m: &Member) -> String {
    format!(
        "{}:{:?}:{}{}{}",
        m.name,
        m.location,
        tys(&m.ty),
        if m.required { "!" } else { "" },
        if m.nullable { "~null" } else { "" }
    )
}
#[test]
fn dump_corpus() {
    for f in ["buildomat", "keeper", "nexus", "param-collision"] {
        let p = format!("/work/shared/corpus/openapi/{f}.json");
        let text = std::fs::read_to_string(&p).unwrap();
        let s = super::load(&p, &text).unwrap();
        let mut out = format!(
            "auth {:?} endpoint {:?} prefix {:?}\n",
            s.auth, s.endpoint, s.path_prefix
        );
        for op in &s.operations {
            out += &format!(
                "OP {} {} {} status={:?} upg={} sec={:?} uns={}\n  in: {}\n",
                op.name,
                op.http_method,
                op.path,
                op.success_status,
                op.upgrade,
                op.security,
                op.unsigned,
                op.input
                    .members
                    .iter()
                    .map(mem)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let o = match &op.output {
                Output::Owned(s) => format!(
                    "Owned({})",
                    s.members.iter().map(mem).collect::<Vec<_>>().join(", ")
                ),
                Output::Type(t) => tys(t),
                Output::Empty => "Empty".into(),
                Output::ByStatus(v) => v
                    .iter()
                    .map(|o| {
                        format!(
                            "{:?}/{}={}",
                            o.status,
                            o.variant,
                            o.body.as_ref().map(tys).unwrap_or("-".into())
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" | "),
            };
            out += &format!(
                "  out: {o}\n  err: {}\n",
                op.errors
                    .iter()
                    .map(|e| format!("{}:{:?}:{}", e.variant, e.matcher, e.shape))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            if let Some(p) = &op.pagination {
                out += &format!("  page: {:?}\n", p);
            }
        }
        for (n, sh) in &s.shapes {
            out += &match sh {
                Shape::Structure(st) => format!(
                    "STRUCT {n} err={} add={:?}: {}\n",
                    st.is_error,
                    st.additional.as_ref().map(|a| tys(a)),
                    st.members.iter().map(mem).collect::<Vec<_>>().join(", ")
                ),
                Shape::Union(u) => format!(
                    "UNION {n} {:?}: {}\n",
                    u.tagging,
                    u.members
                        .iter()
                        .map(|m| format!("{}/{}={}", m.name, m.rust_name, tys(&m.ty)))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                Shape::Enum(e) => format!(
                    "ENUM {n}: {}\n",
                    e.values
                        .iter()
                        .map(|v| v.value.clone())
                        .collect::<Vec<_>>()
                        .join(",")
                ),
                Shape::IntEnum(e) => format!(
                    "INTENUM {n}: {:?}\n",
                    e.values.iter().map(|v| v.value).collect::<Vec<_>>()
                ),
            };
        }
        std::fs::write(format!("/tmp/sum-{f}.txt"), out).unwrap();
    }
}
