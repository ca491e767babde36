"""portal.i18n: the templates' ``_()`` follows the language of each request, and ``force_locale`` inside one."""
from __future__ import annotations

from flask import render_template_string
from flask_babel import force_locale

from indexer.settings import Settings
from portal import create_app
from portal.i18n import COOKIE


def test_template_gettext_follows_each_request_and_a_forced_locale(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "GDC_SETTINGS": Settings(var_dir=tmp_path)})
    template = "{{ _('ถัดไป') }}|{{ ngettext('พบ %(num)s ชุดข้อมูล', 'พบ %(num)s ชุดข้อมูล', 2) }}"
    with app.test_request_context("/", headers={"Cookie": f"{COOKIE}=en"}):
        assert render_template_string(template) == "Next|2 datasets found"
        with force_locale("th"):
            assert render_template_string(template) == "ถัดไป|พบ 2 ชุดข้อมูล"
        assert render_template_string(template) == "Next|2 datasets found"
    with app.test_request_context("/"):
        assert render_template_string(template) == "ถัดไป|พบ 2 ชุดข้อมูล"
