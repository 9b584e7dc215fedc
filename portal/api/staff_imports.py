"""Token-authenticated import for staff scripts: upload a sheet, poll its progress,
confirm it.

Everything goes through ``imports.jobs`` — the same door as the admin's 数据导入
pages — so the same rules hold: the same permissions per register, the same
checks of the file by content and size, the importer's region scope (an admin of
one town cannot import into another town's grids), all-or-nothing unless
``skip_invalid``, large files in the background.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from imports import jobs
from imports.importers import can_import, kind_labels
from imports.models import ImportJob

from .permissions import IsPortalStaff

TAG = "工作人员接口（需令牌）"
ERRORS_RETURNED = 200
# The import history shows where a job came from; use an "api" source once the
# imports app defines one, else record it as an admin upload.
API_SOURCE = "api" if "api" in ImportJob.Source.values else ImportJob.Source.ADMIN


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text="Excel 行号")
    column = serializers.CharField(allow_blank=True, help_text="列名")
    message = serializers.CharField(help_text="错误说明")


class ImportJobSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    kind_label = serializers.SerializerMethodField()
    percent = serializers.IntegerField(help_text="进度百分比")
    busy = serializers.BooleanField(source="is_busy", help_text="是否仍在处理")
    errors = serializers.SerializerMethodField(help_text=f"错误行（最多 {ERRORS_RETURNED} 条）")
    error_total = serializers.SerializerMethodField(help_text="错误总数")

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "kind",
            "kind_label",
            "file_name",
            "status",
            "status_label",
            "stage",
            "rows_done",
            "rows_total",
            "percent",
            "busy",
            "skip_invalid",
            "new_count",
            "updated_count",
            "unchanged_count",
            "error_count",
            "skipped_count",
            "message",
            "error_total",
            "errors",
            "created_at",
            "finished_at",
        ]

    @extend_schema_field(ImportErrorSerializer(many=True))
    def get_errors(self, job):
        errors = (job.report or {}).get("errors", [])[:ERRORS_RETURNED]
        return [
            {"row": e.get("row"), "column": e.get("column", ""), "message": e.get("message", "")}
            for e in errors
        ]

    def get_kind_label(self, job) -> str:
        return kind_labels().get(job.kind, job.kind)

    def get_error_total(self, job) -> int:
        report = job.report or {}
        return report.get("error_total", len(report.get("errors", [])))


class ImportUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=list(kind_labels().items()),
        help_text="grids（网格）、volunteers（志愿者）、cases（案件）、"
        "services（志愿服务记录）、points（积分记录）",
    )
    file = serializers.FileField(help_text=".xlsx、.xls 或 .csv")
    skip_invalid = serializers.BooleanField(
        default=False, help_text="只导入没有错误的行（否则有一行错误就整个文件不导入）"
    )
    confirm = serializers.BooleanField(
        default=False,
        help_text="检查通过后立即导入；为 false 时只检查（预览），之后再调用确认接口",
    )
    allow_new_categories = serializers.BooleanField(
        default=False, help_text="案件：系统中没有的事件类别在导入时新建（默认办理时限 15 天）"
    )
    map_category = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        default=list,
        help_text="案件：把表中的事件类别对应到已有类别，每项为“表中类别=已有类别”，可重复",
    )

    def validate_map_category(self, items):
        mapping = {}
        for item in items:
            old, sep, new = item.replace("＝", "=").partition("=")
            if not sep or not old.strip() or not new.strip():
                raise serializers.ValidationError(f"格式应为“表中类别=已有类别”，而不是“{item}”")
            mapping[old.strip()] = new.strip()
        return mapping

    def importer_options(self):
        data = self.validated_data
        options = {}
        if data.get("allow_new_categories"):
            options["allow_new_categories"] = True
        if data.get("map_category"):
            options["category_map"] = data["map_category"]
        return options


class ImportConfirmSerializer(serializers.Serializer):
    skip_invalid = serializers.BooleanField(default=False, help_text="跳过错误行")


def _job_for(user, pk):
    job = ImportJob.objects.filter(pk=pk).first()
    if job is None or not jobs.can_see_job(user, job):
        raise NotFound(f"没有编号为 {pk} 的导入记录")
    return job


def _confirm(job, skip_invalid):
    """Start the import of a previewed job, by the admin's rule on error rows."""
    if job.status != ImportJob.Status.PREVIEW:
        raise ValidationError(
            {"status": [f"该导入当前状态为“{job.get_status_display()}”，不能确认"]}
        )
    if job.error_count and not skip_invalid:
        raise ValidationError(
            {
                "skip_invalid": [
                    f"文件中有 {job.error_count} 行错误。请修改后重新上传，"
                    "或设置 skip_invalid=true 只导入没有错误的行"
                ]
            }
        )
    return jobs.start_import(job, skip_invalid=skip_invalid)


def _answer(job, created=False):
    data = ImportJobSerializer(job).data
    if job.is_busy:
        code = status.HTTP_202_ACCEPTED
    else:
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return Response(data, status=code)


class ImportListCreateView(APIView):
    permission_classes = [IsPortalStaff]
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=[TAG],
        summary="我的导入记录",
        description="令牌用户最近的导入记录（超级管理员可见全部），最新的在前，最多50条。",
        responses={200: ImportJobSerializer(many=True)},
    )
    def get(self, request):
        recent = jobs.jobs_visible_to(request.user)[:50]
        return Response(ImportJobSerializer(recent, many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="上传并导入表格",
        description=(
            "上传网格、志愿者或案件表格。先检查整个文件（与后台“数据导入”相同的规则和辖区限制），"
            "confirm=true 时检查通过立即导入。大文件在后台处理，返回 202，请轮询状态接口。"
        ),
        request={"multipart/form-data": ImportUploadSerializer},
        responses={
            201: ImportJobSerializer,
            202: OpenApiResponse(ImportJobSerializer, description="已在后台处理，请轮询状态"),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="参数错误"),
            403: OpenApiResponse(OpenApiTypes.OBJECT, description="没有导入该类数据的权限"),
        },
    )
    def post(self, request):
        form = ImportUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        kind = form.validated_data["kind"]
        if not can_import(request.user, kind):
            raise PermissionDenied(f"你的账号没有导入{kind_labels()[kind]}数据的权限。")
        upload = form.validated_data["file"]
        job = jobs.create_job(
            kind=kind,
            user=request.user,
            upload=upload,
            file_name=upload.name,
            skip_invalid=form.validated_data["skip_invalid"],
            source=API_SOURCE,
        )
        options = form.importer_options()
        if options and job.status == ImportJob.Status.QUEUED:
            # travels with the job to the analysis and the confirmation (see imports.importers.base)
            job.report = {**(job.report or {}), "options": options}
            job.save(update_fields=["report"])
        job = jobs.start_analysis(job)
        if form.validated_data["confirm"] and job.status == ImportJob.Status.PREVIEW:
            if job.error_count and not job.skip_invalid:
                return _answer(job, created=True)  # refused as a whole: the errors say why
            job = jobs.start_import(job, skip_invalid=job.skip_invalid)
        return _answer(job, created=True)


class ImportDetailView(APIView):
    permission_classes = [IsPortalStaff]

    @extend_schema(
        tags=[TAG],
        summary="导入进度与结果",
        description="轮询导入进度（busy 为 true 时仍在处理），完成后给出新增、更新、未变化、错误行数和错误明细。",
        responses={200: ImportJobSerializer},
    )
    def get(self, request, pk):
        return _answer(_job_for(request.user, pk))


class ImportConfirmView(APIView):
    permission_classes = [IsPortalStaff]

    @extend_schema(
        tags=[TAG],
        summary="确认导入",
        description="导入一个已检查（待确认）的文件。有错误行时须设置 skip_invalid=true。",
        request=ImportConfirmSerializer,
        responses={200: ImportJobSerializer, 202: ImportJobSerializer},
    )
    def post(self, request, pk):
        job = _job_for(request.user, pk)
        if not can_import(request.user, job.kind):
            raise PermissionDenied(
                f"你的账号没有导入{kind_labels().get(job.kind, job.kind)}数据的权限。"
            )
        form = ImportConfirmSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return _answer(_confirm(job, form.validated_data["skip_invalid"]))
