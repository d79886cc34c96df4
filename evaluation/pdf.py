"""An evaluation report as a PDF, with the same embedded CJK font as certificates."""

from django.utils import timezone
from fpdf import FPDF

from evaluation.models import EvaluationReport
from evaluation.trl import level_name
from portal.core.money import yuan
from portal.core.pdf import cjk_font


def report_pdf(report: EvaluationReport) -> bytes:
    path, index = cjk_font()
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.add_font("cjk", fname=path, collection_font_number=index)
    pdf.set_font("cjk", size=18)
    pdf.cell(0, 14, "科技成果评价报告", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=11)
    lines = [
        f"成果名称：{report.achievement.title}",
        f"所属机构：{report.achievement.organization.name}",
        f"评价类型：{report.get_kind_display()}",
        f"生成时间：{timezone.localtime(report.created_at):%Y-%m-%d %H:%M}",
    ]
    if report.kind == EvaluationReport.Kind.TRL:
        lines.append(f"技术就绪水平：{report.level} 级（{level_name(report.level)}）")
        lines.append("满足的判据：")
        lines += [f"  {e['level']}级 {e['text']}" for e in report.result.get("evidence", [])]
    else:
        r = report.result
        lines += [
            f"估值：{yuan(r['value'])}",
            f"区间：{yuan(r['low'])} – {yuan(r['high'])}",
            f"说明：{r['explanation']}",
        ]
    for line in lines:
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("cjk", size=9)
    pdf.multi_cell(
        0,
        6,
        "本报告由湖北技术交易市场门户的评价工具按所填数据计算生成，供参考，"
        "不替代资产评估机构出具的评估报告。",
    )
    return bytes(pdf.output())
