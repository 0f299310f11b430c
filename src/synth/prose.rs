//! Report prose: the text pools and the problems-and-improvements paragraphs.

use super::plan::{plan, stream, Issuer, Plan};
use rand::seq::{IndexedRandom, SliceRandom};
use rand::Rng;

pub(super) const PROB_SUBJ: &[&str] = &[
    "部分重点领域信息",
    "政策解读材料",
    "依申请公开答复文书",
    "政务新媒体发布的内容",
    "政府信息公开指南",
    "基层政务公开标准目录",
    "门户网站部分栏目",
    "公开专区的线下服务",
    "行政执法结果信息",
    "财政预决算信息",
];
pub(super) const PROB_PRED: &[&str] = &[
    "更新不够及时",
    "规范化程度不高",
    "公开的深度和广度还不够",
    "表现形式较为单一",
    "与群众需求衔接不够紧密",
    "质量参差不齐",
    "解读回应不够充分",
    "检索查阅还不够便捷",
];
pub(super) const PROB_FIXED: &[&str] = &[
    "工作人员多为兼职，业务能力有待提升",
    "对新条例的学习理解还不够深入",
    "信息发布前的保密审查流程还不够细致",
    "各科室之间的协调配合还不够顺畅",
    "主动公开意识仍需进一步增强",
    "公众参与政策制定的渠道还不够畅通",
    "对公开工作的考核评价办法有待细化",
];
pub(super) const CAUSES: &[&str] = &[
    "究其原因，主要是对政务公开工作的重要性认识还不到位",
    "这与人员调整频繁、工作交接不到位有一定关系",
    "主要原因是部门之间的信息共享机制尚未完全建立",
    "客观上也受到人员力量和经费保障不足的制约",
    "其根源在于工作机制还不够健全，责任落实不够到位",
];
pub(super) const MEAS_VERB: &[&str] = &[
    "进一步完善",
    "着力规范",
    "持续优化",
    "切实加强",
    "认真落实",
    "全面梳理",
];
pub(super) const MEAS_OBJ: &[&str] = &[
    "信息发布审核制度",
    "依申请公开办理流程",
    "政策解读工作机制",
    "政府网站栏目设置",
    "政务公开专区建设",
    "政务新媒体日常监管",
    "公开目录动态调整机制",
    "政务公开培训计划",
    "考核评价和责任追究办法",
];
pub(super) const MEAS_GOAL: &[&str] = &[
    "确保信息发布准确及时",
    "不断提升答复的规范化水平",
    "让群众看得到、听得懂、能监督",
    "做到应公开尽公开",
    "切实提升政务公开工作质效",
    "更好地回应社会关切",
    "推动政务公开工作制度化常态化",
];
pub(super) const PROB_INTRO: &[&str] = &[
    "{year}年，{we}政府信息公开工作取得了一定成效，但对照上级要求和群众期盼，仍存在一些不足。",
    "回顾全年工作，{we}在政府信息公开方面还存在一些薄弱环节。",
    "虽然{we}政务公开工作稳步推进，但与新形势新要求相比仍有差距。",
    "对照年度工作要点，{we}政府信息公开工作还有不少需要改进的地方。",
];
pub(super) const PROB_CLOSE: &[&str] = &[
    "下一步，{we}将坚持问题导向，逐项抓好整改落实。",
    "{we}将以此为契机，推动政府信息公开工作再上新台阶。",
    "",
    "",
];
pub(super) const ORDINALS: &[&str] = &["一是", "二是", "三是", "四是", "五是", "六是"];
pub(super) const CN_NUM: &[&str] = &["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

pub(super) const OVERVIEW_PARAS: &[(&str, &str)] = &[
    ("加强组织领导", "{name}把政务公开工作摆上重要议事日程，调整充实了政务公开工作领导小组，明确分管负责同志和具体承办人员，形成了主要领导亲自抓、分管领导具体抓、业务科室协同推进的工作格局。"),
    ("健全制度机制", "{we}修订完善了信息发布审核、保密审查、依申请公开办理等工作制度，对公开的范围、程序、时限作出明确规定，推动公开工作有章可循。"),
    ("强化平台建设", "{we}持续优化门户网站信息公开专栏，规范栏目设置，同步利用政务微信、微博等渠道发布信息，拓展公开覆盖面。"),
    ("做好政策解读", "围绕年度重点工作，{we}采取图文解读、在线访谈、问答等形式解读重要政策文件，帮助公众准确理解政策内容。"),
    ("加强监督保障", "{we}将政务公开工作纳入年度目标考核，定期开展自查，对发现的问题建立台账、限期整改。"),
    ("开展业务培训", "{we}组织开展政务公开专题培训，邀请业务骨干讲解新条例和年报格式要求，提高工作人员业务能力。"),
    ("回应社会关切", "{we}密切关注涉及本单位职能的舆情信息，对群众关心的热点问题及时作出回应，增强了公开工作的针对性。"),
];
pub(super) const PROACTIVE_NARR: &[&str] = &[
    "{year}年，{we}通过门户网站、政务新媒体等渠道主动公开政府信息{n}条，其中机构职能、政策文件、规划计划类信息{m}条。",
    "全年共主动公开各类政府信息{n}条，内容涵盖财政预决算、人事任免、重大项目建设等方面，其中通过政府网站公开{m}条。",
    "{we}主动公开政府信息{n}条，做到了公开内容全面、公开时间及时。其中公开规范性文件{m}件。",
];
pub(super) const OTHER_2021: &[&str] = &[
    "{year}年度，{we}未收取信息处理费。",
    "本年度未发生收取信息处理费的情况。全年办理人大代表建议{n}件、政协提案{m}件，办理结果已按要求公开。",
    "{we}无其他需要报告的事项。",
    "本年度{we}未依据《政府信息公开信息处理费管理办法》收取信息处理费，没有其他需要报告的事项。",
];
pub(super) const OTHER_NARR: &[(&str, &str)] = &[
    ("{next}年工作安排", "{next}年，{we}将紧紧围绕中心工作，继续深化重点领域信息公开，加大政策解读力度，进一步提升政府网站信息发布质量。"),
    ("制度建设情况", "{we}年内制定了政府信息公开保密审查办法和信息发布协调制度，政府信息公开工作逐步走上制度化轨道。"),
    ("政府信息公开的收费及减免情况", "{year}年，{we}在政府信息公开工作中未收取任何费用。"),
    ("下一步工作打算", "{we}将以公开为常态、不公开为例外，扎实做好{next}年政府信息公开各项工作，切实保障人民群众的知情权和监督权。"),
];

pub(super) const SPAM: &[&str] = &[
    "即时比分",
    "365bet体育正规吗",
    "365bet苹果版_365服务热线_bet体育365正规吗",
    "bet365官网开户",
    "足球彩票娱乐城",
    "博彩平台注册",
];

pub(super) fn fill(s: &str, iss: &Issuer, year: i32) -> String {
    s.replace("{we}", iss.we)
        .replace("{name}", &iss.name)
        .replace("{year}", &year.to_string())
        .replace("{next}", &(year + 1).to_string())
}

/// Problems-and-improvements paragraphs, plus phrases certain to be in them.
pub(super) fn problems_text(
    seed: u64,
    i: u64,
    p: &Plan,
    depth: u32,
    planted: bool,
) -> (Vec<String>, Vec<String>) {
    let mut rng = stream(seed, i, 1);
    if p.continues && depth < 6 && rng.random_bool(0.35) {
        let prev = plan(seed, i - 1, 0, planted);
        return problems_text(seed, i - 1, &prev, depth + 1, planted);
    }
    if let Some(j) = planted
        .then(|| super::plants::copy_other(seed, i, p))
        .flatten()
    {
        return problems_text(seed, j, &plan(seed, j, 0, true), depth + 1, true);
    }
    let iss = &p.issuer;
    let mut probs: Vec<String> = Vec::new();
    let np = rng.random_range(1..=4);
    while probs.len() < np {
        let s = if rng.random_bool(0.6) {
            format!(
                "{}{}",
                PROB_SUBJ.choose(&mut rng).unwrap(),
                PROB_PRED.choose(&mut rng).unwrap()
            )
        } else {
            PROB_FIXED.choose(&mut rng).unwrap().to_string()
        };
        if !probs.contains(&s) {
            probs.push(s);
        }
    }
    let mut meas: Vec<String> = Vec::new();
    let nm = rng.random_range(2..=5);
    while meas.len() < nm {
        let s = format!(
            "{}{}，{}",
            MEAS_VERB.choose(&mut rng).unwrap(),
            MEAS_OBJ.choose(&mut rng).unwrap(),
            MEAS_GOAL.choose(&mut rng).unwrap()
        );
        if !meas
            .iter()
            .any(|m| m.split('，').next() == s.split('，').next())
        {
            meas.push(s);
        }
    }
    probs.shuffle(&mut rng);
    meas.shuffle(&mut rng);
    let intro = fill(PROB_INTRO.choose(&mut rng).unwrap(), iss, p.year);
    let cause = rng
        .random_bool(0.4)
        .then(|| CAUSES.choose(&mut rng).unwrap().to_string());
    let close = fill(PROB_CLOSE.choose(&mut rng).unwrap(), iss, p.year);
    let enumerate = |items: &[String], sep: &str| -> String {
        items
            .iter()
            .enumerate()
            .map(|(k, s)| format!("{}{}", ORDINALS[k], s))
            .collect::<Vec<_>>()
            .join(sep)
    };
    let mut paras = Vec::new();
    match rng.random_range(0..4) {
        0 => {
            let mut a = format!("{intro}主要表现在：{}。", enumerate(&probs, "；"));
            if let Some(c) = &cause {
                a.push_str(&format!("{c}。"));
            }
            paras.push(a);
            paras.push(format!(
                "针对上述问题，{}将重点做好以下工作：{}。{close}",
                iss.we,
                enumerate(&meas, "；")
            ));
        }
        1 => {
            paras.push(format!(
                "（一）存在的主要问题。{}。{}",
                enumerate(&probs, "；"),
                cause.map(|c| c + "。").unwrap_or_default()
            ));
            paras.push(format!(
                "（二）改进措施。{}。{close}",
                enumerate(&meas, "；")
            ));
        }
        2 => {
            paras.push(intro.clone());
            for (k, s) in probs.iter().enumerate() {
                paras.push(format!("{}.{}。", k + 1, s));
            }
            paras.push(format!("下一步，{}将着重抓好以下几点：", iss.we));
            for (k, s) in meas.iter().enumerate() {
                paras.push(format!("{}.{}。", k + 1, s));
            }
        }
        _ => {
            let mut a = format!("{intro}{}等问题仍然存在", probs.join("、"));
            a.push_str(
                &cause
                    .map(|c| format!("，{c}。"))
                    .unwrap_or_else(|| "。".into()),
            );
            paras.push(a);
            paras.push(format!("{}将{}。{close}", iss.we, meas.join("；同时")));
        }
    }
    let mut phrases = vec![probs[0].clone()];
    phrases.push(meas[0].split('，').next().unwrap().to_string());
    (paras, phrases)
}

/// Sentences of report text that use words also found in site navigation.
pub(super) const NAV_SENTENCES: &[&str] = &[
    "{we}在门户网站首页开设政府信息公开专栏，同步设置互动交流栏目，及时回应群众关切。",
    "全年开展在线访谈{n}期，通过互动交流平台答复网民留言{m}条。",
    "依托政务服务网和政务服务中心，{we}同步公开办事指南和服务事项目录。",
    "{we}将在线访谈、政策解读和互动交流有机结合，提升政务公开的互动性。",
    "{year}年，{we}持续优化政务服务事项办理流程，在首页醒目位置公开办事渠道。",
];

/// Overview sub-paragraphs headed with section names, as some reports write them.
pub(super) fn section_like_subheads(iss: &Issuer, year: i32) -> Vec<(String, String)> {
    [
        ("主动公开政府信息情况", "{year}年，{we}通过门户网站和政务新媒体及时发布政策文件、工作动态和通知公告，主动公开工作规范有序。"),
        ("依申请公开政府信息情况", "{we}严格按照《条例》规定办理依申请公开事项，规范答复文书，做到依法依规、按时答复。"),
    ]
    .iter()
    .map(|(h, t)| (h.to_string(), fill(t, iss, year)))
    .collect()
}
