"""The words on notify's pages, in Chinese (the default) and English (DESIGN.md §11)."""

from __future__ import annotations

from shared.http.language import Tag

KIND_TITLES: dict[str, dict[str, str]] = {
    "water_outage": {"zh-CN": "停水通知", "en": "Water Outage Notice"},
    "power_outage": {"zh-CN": "停电通知", "en": "Power Outage Notice"},
    "lift_maintenance": {"zh-CN": "电梯维修通知", "en": "Lift Maintenance Notice"},
    "water_tank_cleaning": {"zh-CN": "清洗水箱通知", "en": "Water Tank Cleaning Notice"},
    "safety_warning": {"zh-CN": "安全警示通知", "en": "Safety Warning"},
    "regulation": {"zh-CN": "管理规定", "en": "Regulations"},
    "general": {"zh-CN": "通知", "en": "Notice"},
}

SIGN_HEADLINES: dict[str, dict[str, str]] = {
    "water_outage": {"zh-CN": "停水", "en": "WATER OFF"},
    "power_outage": {"zh-CN": "停电", "en": "POWER OFF"},
    "lift_maintenance": {"zh-CN": "电梯维修 暂停使用", "en": "LIFT UNDER MAINTENANCE"},
    "water_tank_cleaning": {"zh-CN": "清洗水箱 暂停供水", "en": "WATER TANK CLEANING"},
    "safety_warning": {"zh-CN": "注意安全", "en": "DANGER"},
}

WORDS: dict[str, dict[str, str]] = {
    "zh-CN": {
        "notice": "通知单",
        "sign": "警示标识",
        "caution": "警示",
        "period": "时间",
        "from_to": "至",
        "published": "发布时间",
        "scope": "范围",
        "scope_site": "全体业户",
        "scope_buildings": "以下楼栋业户：",
        "scope_units": "以下单元业户：",
        "closing": "特此通知，敬请谅解！",
        "office": "管理处",
        "phone": "联系电话",
        "revision": "第 {n} 版",
        "cancelled": "已取消",
        "sign_footer": "如有疑问，请联系",
    },
    "en": {
        "notice": "Notice",
        "sign": "Warning sign",
        "caution": "CAUTION",
        "period": "When",
        "from_to": "to",
        "published": "Published",
        "scope": "For",
        "scope_site": "all residents",
        "scope_buildings": "residents of",
        "scope_units": "residents of",
        "closing": "We apologise for any inconvenience.",
        "office": "Management office",
        "phone": "Phone",
        "revision": "revision {n}",
        "cancelled": "CANCELLED",
        "sign_footer": "Questions? Call",
    },
}


def kind_title(kind: str, lang: Tag) -> str:
    """The notice's heading for its kind."""
    return KIND_TITLES.get(kind, KIND_TITLES["general"])[lang]


def word(name: str, lang: Tag) -> str:
    """One word or phrase of the pages."""
    return WORDS[lang][name]
