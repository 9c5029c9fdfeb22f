"""Design tokens of a theme: colours, logo, banner, footer and contact details.

The provincial base theme defines every token; a tenant theme sets only the ones it changes, and the
effective tokens of a tenant are the base's with each ancestor's published tokens laid on top, nearest
last. Tokens are checked on save: colours are ``#rrggbb`` with readable contrast (WCAG AA, 4.5:1), image
addresses are local ``/static/`` paths or ``https://`` URLs, texts are short and single-line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

BASE_TOKENS: dict[str, str] = {
    "color_primary": "#b3261e",
    "color_primary_ink": "#ffffff",
    "color_accent": "#0b57d0",
    "color_page": "#f5f5f2",
    "logo_text": "通",
    "logo_url": "",
    "site_suffix": "政务服务网",
    "tagline": "一张审批网 · Hainan e-Government Services",
    "banner_title": "",
    "banner_subtitle": "全省通办 · 一网通办 · 阳光审批",
    "banner_image": "",
    "footer_text": "全省通办 · 一网通办 · 阳光审批 | One approval network for every government in Hainan",
    "contact_address": "海南省海口市美兰区国兴大道9号 海南省政务服务中心",
    "contact_phone": "12345",
    "contact_hours": "法定工作日 9:00-12:00，14:30-17:30",
    "contact_email": "",
}

COLOURS = ("color_primary", "color_primary_ink", "color_accent", "color_page")
IMAGES = ("logo_url", "banner_image")
TEXT_LIMITS = {"logo_text": 2, "site_suffix": 20, "tagline": 80, "banner_title": 60, "banner_subtitle": 120,
               "footer_text": 300, "contact_address": 120, "contact_phone": 40, "contact_hours": 80,
               "contact_email": 80}
LABELS = {
    "color_primary": ("主色", "primary colour"), "color_primary_ink": ("主色上的文字颜色", "text on primary"),
    "color_accent": ("链接颜色", "link colour"), "color_page": ("页面底色", "page background"),
    "logo_text": ("标志文字", "logo text"), "logo_url": ("标志图片", "logo image"),
    "site_suffix": ("网站名称后缀", "site name suffix"), "tagline": ("标语", "tagline"),
    "banner_title": ("横幅标题", "banner title"), "banner_subtitle": ("横幅副标题", "banner subtitle"),
    "banner_image": ("横幅图片", "banner image"), "footer_text": ("页脚文字", "footer text"),
    "contact_address": ("联系地址", "address"), "contact_phone": ("联系电话", "phone"),
    "contact_hours": ("办公时间", "office hours"), "contact_email": ("电子邮箱", "email"),
}
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
LOCAL_IMAGE = re.compile(r"^/static/[A-Za-z0-9_\-/]+\.(png|jpg|jpeg|svg|webp)$")
REMOTE_IMAGE = re.compile(r"^https://[A-Za-z0-9.\-]+(:\d+)?(/[A-Za-z0-9_\-./%~]*)?$")
CONTROL = re.compile(r"[\x00-\x1f\x7f<>]")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_CONTRAST = 4.5


@dataclass(frozen=True)
class ThemeProblem:
    """One refusal: where (a token name or ``templates.<name>``), why (a code), zh + en, and the line."""

    path: str
    code: str
    zh: str
    en: str
    line: int | None = None

    def to_dict(self) -> dict:
        return {"path": self.path, "code": self.code, "zh": self.zh, "en": self.en, "line": self.line}


def check_tokens(tokens: object) -> list[ThemeProblem]:
    if not isinstance(tokens, dict):
        return [ThemeProblem("tokens", "type", "设计参数应为对象", "tokens must be an object")]
    problems = [ThemeProblem(str(k), "unknown_token", f"未知的设计参数“{k}”", f"unknown token {k!r}")
                for k in tokens if k not in BASE_TOKENS]
    for key, value in tokens.items():
        if key in BASE_TOKENS:
            problems += _check_one(key, value)
    merged = {**BASE_TOKENS, **{k: v for k, v in tokens.items() if k in BASE_TOKENS and v}}
    if not problems:
        problems += _check_contrast(merged)
    return problems


def _check_one(key: str, value: object) -> list[ThemeProblem]:
    zh, en = LABELS[key]
    if not isinstance(value, str):
        return [ThemeProblem(key, "type", f"{zh}应为文字", f"{en} must be text")]
    if value == "":
        return []
    if key in COLOURS and not HEX.match(value):
        return [ThemeProblem(key, "colour", f"{zh}应为 #rrggbb 格式的颜色", f"{en} must be a #rrggbb colour")]
    if key in IMAGES and not (LOCAL_IMAGE.match(value) or REMOTE_IMAGE.match(value)) or ".." in value:
        return [ThemeProblem(key, "image", f"{zh}应为 /static/ 下的图片或 https:// 地址",
                             f"{en} must be an image under /static/ or an https:// address")]
    limit = TEXT_LIMITS.get(key)
    if limit is not None:
        if CONTROL.search(value):
            return [ThemeProblem(key, "characters", f"{zh}不能包含尖括号或控制字符",
                                 f"{en} cannot contain angle brackets or control characters")]
        if len(value) > limit:
            return [ThemeProblem(key, "too_long", f"{zh}最多 {limit} 个字", f"{en} has at most {limit} characters")]
    if key == "contact_email" and not EMAIL.match(value):
        return [ThemeProblem(key, "email", "电子邮箱格式不正确", "not an email address")]
    return []


def _check_contrast(tokens: dict[str, str]) -> list[ThemeProblem]:
    problems = []
    pairs = (("color_primary_ink", "color_primary", "主色上的文字", "text on the primary colour"),
             ("color_accent", "#ffffff", "链接颜色与白底", "links on white"),
             ("color_accent", "color_page", "链接颜色与页面底色", "links on the page background"))
    for fore, back, zh, en in pairs:
        ratio = contrast(tokens[fore], tokens.get(back, back))
        if ratio < MIN_CONTRAST:
            problems.append(ThemeProblem(fore, "contrast", f"{zh}对比度 {ratio:.1f}:1，至少需要 4.5:1",
                                         f"{en} has a contrast of {ratio:.1f}:1; at least 4.5:1 is needed"))
    return problems


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def effective_tokens(layers: list[dict]) -> dict[str, str]:
    """The base tokens with each layer's non-empty tokens laid on top, root first, nearest last."""
    merged = dict(BASE_TOKENS)
    for tokens in layers:
        merged.update({k: v for k, v in (tokens or {}).items() if k in BASE_TOKENS and isinstance(v, str) and v})
    return merged


def clean_tokens(raw: dict) -> dict[str, str]:
    """The tokens a tenant sets: known keys with non-empty, stripped text."""
    return {k: str(v).strip() for k, v in raw.items() if k in BASE_TOKENS and str(v or "").strip()}
