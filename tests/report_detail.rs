//! `/api/reports/{id}`'s `checks_detail` and `warnings_zh` (issue 15, point 4):
//! the equations agree with the checks, relation by relation, on every report
//! of the fixture; the broken report's equation carries its numbers.

use crate::common;
use serde_json::Value;
use std::collections::BTreeMap;

fn get(app: &common::App, uri: &str) -> Value {
    let a = app.get(uri);
    assert_eq!(a.status, 200, "{uri}: {}", a.body);
    serde_json::from_str(&a.body).unwrap()
}

#[test]
fn equations_agree_with_checks_and_warnings_read_in_chinese() {
    let app = common::App::new(&common::build_index(&common::scratch("report-detail")));
    let hits = get(&app, "/api/search?size=100");
    let ids: Vec<&str> = hits["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 8);
    let mut failed_equations = 0;
    for id in ids {
        let r = get(&app, &format!("/api/reports/{id}"));
        let checks: BTreeMap<String, bool> = serde_json::from_value(r["checks"].clone()).unwrap();
        let eqs = r["checks_detail"].as_array().unwrap();
        for (check, ok) in &checks {
            let mine: Vec<&Value> = eqs
                .iter()
                .filter(|e| e["check"] == check.as_str())
                .collect();
            assert!(!mine.is_empty(), "{id}: {check} has no equation");
            let all_hold = mine.iter().all(|e| e["holds"] == true);
            assert_eq!(
                all_hold, *ok,
                "{id}: {check} is {ok} but its equations say {all_hold}"
            );
        }
        for e in eqs {
            assert!(checks.contains_key(e["check"].as_str().unwrap()), "{e}");
            let sum = |side: &str| -> f64 {
                e[side]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| t["value"].as_f64().unwrap())
                    .sum()
            };
            assert_eq!(sum("left"), e["left_sum"].as_f64().unwrap(), "{e}");
            assert_eq!(sum("right"), e["right_sum"].as_f64().unwrap(), "{e}");
            if e["holds"] == false {
                failed_equations += 1;
            }
        }
        let (en, zh) = (
            r["warnings"].as_array().unwrap(),
            r["warnings_zh"].as_array().unwrap(),
        );
        assert_eq!(en.len(), zh.len(), "{id}");
        for w in zh {
            let w = w.as_str().unwrap();
            assert!(
                !w.is_ascii() && !w.contains("unknown") && !w.contains("解析提示（原文）"),
                "{id}: {w}"
            );
        }
    }
    assert_eq!(
        failed_equations, 1,
        "only the broken report's balance fails"
    );
    let broken = get(&app, "/api/search?q=张店&size=1");
    let id = broken["hits"][0]["id"].as_str().unwrap();
    let r = get(&app, &format!("/api/reports/{id}"));
    let e = r["checks_detail"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["holds"] == false)
        .unwrap();
    assert_eq!(e["check"], "requests_balance");
    assert_eq!(
        (e["left_sum"].as_f64(), e["right_sum"].as_f64()),
        (Some(185.0), Some(175.0))
    );
    assert_eq!(e["left"][1]["label"], "上年结转");
    assert_eq!(e["left"][1]["value"], 16.0);
    assert!(r["warnings_zh"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w.as_str().unwrap().starts_with("校验未通过：申请数平衡")));
}
