"""GeoReport v2 documents as DRF serializers (they also describe the OpenAPI schema)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import attributes, mapping


class ServiceSerializer(serializers.Serializer):
    service_code = serializers.CharField(source="code", help_text="服务代码（事件类别代码）")
    service_name = serializers.CharField(source="name", help_text="服务名称（事件类别）")
    description = serializers.CharField(help_text="类别说明")
    metadata = serializers.SerializerMethodField(help_text="是否有附加属性（见服务定义）")
    type = serializers.SerializerMethodField(help_text="服务类型，恒为 realtime")
    keywords = serializers.SerializerMethodField(help_text="关键词，以逗号分隔")
    group = serializers.SerializerMethodField(help_text="分组：矛盾纠纷 / 民生诉求")

    def get_metadata(self, category) -> bool:
        return bool(attributes.attributes_for(category))

    def get_type(self, category) -> str:
        return "realtime"

    def get_keywords(self, category) -> str:
        return mapping.service_keywords(category)

    def get_group(self, category) -> str:
        return mapping.service_group(category)


class ServiceDefinitionSerializer(serializers.Serializer):
    service_code = serializers.CharField(source="code", help_text="服务代码")
    attributes = serializers.SerializerMethodField(
        help_text="提交诉求时的附加属性：code、datatype、required、description、order、values"
    )

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_attributes(self, category):
        return attributes.definitions_for(category)


class ServiceRequestSerializer(serializers.Serializer):
    service_request_id = serializers.CharField(source="number", help_text="事件编号")
    status = serializers.SerializerMethodField(help_text="open（办理中）或 closed（已办结）")
    status_notes = serializers.CharField(
        source="get_status_display", help_text="中文办理状态：受理、分拨、处置、办结、回访、评价"
    )
    service_name = serializers.CharField(source="category.name", help_text="事件类别")
    service_code = serializers.CharField(source="category.code", help_text="事件类别代码")
    description = serializers.CharField(
        source="public_summary", help_text="面向公众的匿名摘要（不含姓名、电话、门牌号）"
    )
    agency_responsible = serializers.CharField(source="handler_unit", help_text="处置单位")
    service_notice = serializers.SerializerMethodField(help_text="服务提示（暂无）")
    requested_datetime = serializers.SerializerMethodField(help_text="上报时间（ISO 8601，+08:00）")
    updated_datetime = serializers.SerializerMethodField(help_text="最近更新时间（ISO 8601）")
    expected_datetime = serializers.SerializerMethodField(help_text="办理期限（ISO 8601）")
    address = serializers.SerializerMethodField(help_text="所属村（社区）和网格，不含具体地点")
    address_id = serializers.CharField(source="grid.code", help_text="网格编码")
    zipcode = serializers.SerializerMethodField(help_text="邮政编码（暂无）")
    lat = serializers.SerializerMethodField(help_text="网格中心纬度（网格无边界时为空）")
    long = serializers.SerializerMethodField(help_text="网格中心经度（网格无边界时为空）")
    media_url = serializers.SerializerMethodField(help_text="图片地址（暂无）")

    def get_status(self, case) -> str:
        return mapping.open311_status(case.status)

    def get_service_notice(self, case) -> str:
        return ""

    def get_requested_datetime(self, case) -> str:
        return mapping.iso_local(case.reported_at)

    def get_updated_datetime(self, case) -> str:
        return mapping.iso_local(case.updated_at)

    def get_expected_datetime(self, case) -> str | None:
        return mapping.iso_local(case.deadline)

    def get_address(self, case) -> str:
        return mapping.public_address(case)

    def get_zipcode(self, case) -> str:
        return ""

    def _centroid(self, case):
        cache = self.context.setdefault("_centroids", {})
        if case.grid_id not in cache:
            cache[case.grid_id] = mapping.grid_centroid(case.grid)
        return cache[case.grid_id]

    def get_lat(self, case) -> float | None:
        return self._centroid(case)[0]

    def get_long(self, case) -> float | None:
        return self._centroid(case)[1]

    def get_media_url(self, case) -> str:
        return ""


class ServiceRequestCreatedSerializer(serializers.Serializer):
    """The answer to a POST: the new case's number and a token (never any contact data)."""

    service_request_id = serializers.CharField(source="case.number", help_text="事件编号")
    token = serializers.CharField(help_text="回执令牌，可用 tokens/{token}.json 查询")
    service_notice = serializers.SerializerMethodField(help_text="受理提示")
    account_id = serializers.SerializerMethodField(help_text="账号（本系统不使用，恒为空）")

    def get_service_notice(self, submission) -> str:
        deadline = mapping.iso_local(submission.case.deadline)
        return f"已受理，事件编号 {submission.case.number}，办理期限 {deadline[:10]}"

    def get_account_id(self, submission) -> str | None:
        return None


class TokenSerializer(serializers.Serializer):
    service_request_id = serializers.CharField(source="case.number", help_text="事件编号")
    token = serializers.CharField(help_text="回执令牌")


class EndpointSerializer(serializers.Serializer):
    specification = serializers.CharField()
    url = serializers.CharField()
    changeset = serializers.CharField()
    type = serializers.CharField()
    formats = serializers.ListField(child=serializers.CharField())


class DiscoverySerializer(serializers.Serializer):
    changeset = serializers.CharField(help_text="接口最近变更时间")
    contact = serializers.CharField(help_text="联系方式")
    key_service = serializers.CharField(help_text="申请 api_key 的方式（查询无需 key，提交需要）")
    endpoints = EndpointSerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    code = serializers.IntegerField(help_text="HTTP 状态码")
    description = serializers.CharField(help_text="中文错误说明")
