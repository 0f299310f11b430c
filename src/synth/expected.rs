//! The golden JSON of one report, in the format of the seed golden files: only
//! what the generated file states unambiguously.

use super::figures::checks_of;
use super::plan::Era;
use super::{Shape, Truth};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

pub(super) fn expected(t: &Truth) -> Value {
    let (iss, year, era, body) = (t.iss, t.year, t.era, t.body);
    let mut e = Map::new();
    e.insert("source".into(), json!(t.file));
    if t.untitled {
        e.insert("title_contains".into(), json!([iss.name, year.to_string()]));
    } else {
        e.insert("title".into(), json!(t.title));
    }
    e.insert("year".into(), json!(year));
    e.insert(
        "region".into(),
        iss.unit
            .as_ref()
            .map_or(Value::Null, |u| json!({"path": u.path, "code": u.code})),
    );
    let mut issuer_any = vec![iss.name.clone()];
    if iss.gov {
        issuer_any.push(format!("{}办公室", iss.name));
    }
    e.insert("issuer_any".into(), json!(issuer_any));
    e.insert("published".into(), json!(t.published));
    e.insert(
        "template".into(),
        json!(match era {
            Era::Narrative => "narrative",
            Era::T2019 => "2019",
            Era::T2021 => "2021",
        }),
    );
    e.insert("sections_present".into(), json!(body.sections));
    e.insert("section_checks".into(), Value::Object(section_checks(t)));
    let figs_json: Map<String, Value> = body
        .figures
        .iter()
        .map(|(k, v)| (k.clone(), crate::model::report::json_num(*v)))
        .collect();
    e.insert("figures".into(), Value::Object(figs_json));
    e.insert("figures_absent".into(), json!(body.absent));
    let mut tmnc: Vec<String> = Vec::new();
    if t.is_html {
        tmnc.extend(["版权所有".into(), "ICP备".into(), "分享到".into()]);
    }
    if let Some(s) = t.spam_tok {
        tmnc.push(s.to_string());
    }
    if let Some(used) = t.pinyin_used {
        tmnc.extend(used.iter().take(3).cloned());
        tmnc.extend(["務".into(), "開".into()]);
    }
    if !tmnc.is_empty() {
        e.insert("text_must_not_contain".into(), json!(tmnc));
    }
    let checks = if era == Era::Narrative {
        BTreeMap::new()
    } else {
        checks_of(&body.figures, era)
    };
    e.insert("checks".into(), json!(checks));
    // Not read by the checker: lets a run be broken down by shape.
    if t.shapes != super::Shapes::NONE {
        let names: Vec<&str> = t.shapes.iter().map(Shape::name).collect();
        e.insert("shapes".into(), json!(names));
    }
    Value::Object(e)
}

/// Phrases each section must (and must not) contain.
fn section_checks(t: &Truth) -> Map<String, Value> {
    let mut sc = Map::new();
    let mut pc = Map::new();
    let first = t.prob_paras[0].as_str();
    // Without its heading the part opens at a `（一）` line.
    if !first.starts_with(['（', '1']) && !t.shapes.contains(Shape::NoProblemsHeading) {
        pc.insert(
            "starts_with".into(),
            json!(first.chars().take(14).collect::<String>()),
        );
    }
    pc.insert("contains".into(), json!(t.prob_phrases));
    let mut nc: Vec<String> = vec!["版权所有".into()];
    if t.era != Era::Narrative {
        nc.push("结果维持".into());
    }
    let other = &t.body.other_phrase;
    if let Some(o) = other {
        nc.push(o.clone());
    }
    pc.insert("not_contains".into(), json!(nc));
    sc.insert("problems".into(), Value::Object(pc));
    if let Some(o) = other {
        sc.insert("other".into(), json!({"contains": [o]}));
    }
    let mut ov = vec![t.ov_first.chars().skip(6).take(16).collect::<String>()];
    ov.extend(t.overview_phrases.iter().cloned());
    sc.insert("overview".into(), json!({ "contains": ov }));
    sc
}
