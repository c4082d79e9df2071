"""Pelican settings for the budget disclosure site. `invoke build` and `pelican content` use this."""

from jinja2 import StrictUndefined

AUTHOR = "嘉定区安亭镇财政所"
SITENAME = "嘉定区安亭镇部门预算公开"
SITE_TITLE = {"zh": "部门预算公开", "en": "Department budgets"}  # the office's own name goes here
SITEURL = ""
RELATIVE_URLS = True  # the site works from any folder, file:// included

PATH = "content"
OUTPUT_PATH = "output"
THEME = "themes/budget"
PLUGINS = ["generator"]  # generator/outputs/plugin.py: the budgets (content/budgets/**/*.yaml)

DEFAULT_LANG = "zh"  # Pelican languages are zh / en; <html lang> uses zh-CN (BUDGET_LANGUAGES below)
TIMEZONE = "Asia/Shanghai"

# Ordinary Markdown pages in both languages: content/pages/NAME.md (Lang: zh) and NAME.en.md (Lang: en)
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = []
PAGE_URL = PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_SAVE_AS = PAGE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
STATIC_PATHS = []

# No blog: no article indexes, feeds, tags, categories, authors or archives.
DIRECT_TEMPLATES = []
ARTICLE_SAVE_AS = ARTICLE_LANG_SAVE_AS = ""
DRAFT_SAVE_AS = DRAFT_LANG_SAVE_AS = ""
CATEGORY_SAVE_AS = TAG_SAVE_AS = AUTHOR_SAVE_AS = ""
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
DISPLAY_PAGES_ON_MENU = False
DISPLAY_CATEGORIES_ON_MENU = False

# A template mistake stops the build.
JINJA_ENVIRONMENT = {"undefined": StrictUndefined, "autoescape": True, "trim_blocks": True, "lstrip_blocks": True,
                     "extensions": ["jinja2.ext.i18n"]}  # theme strings: {{ _('…') }}, catalogues in themes/budget/translations

# The site's languages, in order (the first is the default); a language is data: an entry here and
# its catalogue themes/budget/translations/<lang>/LC_MESSAGES/messages.po (generator/present/i18n.py).
BUDGET_LANGUAGES = {
    "zh": {"html": "zh-CN", "name": "中文", "read_in": "阅读本页的中文版"},
    "en": {"html": "en", "name": "English", "read_in": "Read this page in English"},
}

# The plugin's settings (generator/core/settings.py has them all, with their defaults; an unknown
# BUDGET_* name stops the build).
BUDGET_PDF = True  # `invoke build --no-pdf` sets this to false for quick previews
BUDGET_STRICT = False  # `invoke build --strict`: warnings stop the build too
BUDGET_MESSAGES_LANG = "zh"
BUDGET_DIR = "budgets"  # the budget files, under PATH

READERS = {"rst": None}  # pages are Markdown; docutils has no zh localisation and would warn
