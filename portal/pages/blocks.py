"""StreamField blocks shared by every content page."""

from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label="图片")
    caption = blocks.CharBlock(label="图片说明", required=False)
    alt = blocks.CharBlock(label="替代文字", required=False, help_text="供读屏软件朗读")

    class Meta:
        icon = "image"
        label = "图片"
        template = "blocks/image_block.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="文件")
    title = blocks.CharBlock(label="链接文字", required=False)

    class Meta:
        icon = "doc-full"
        label = "文件链接"
        template = "blocks/document_link_block.html"


class BodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label="正文",
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link", "hr"],
    )
    image = ImageBlock()
    table = TableBlock(label="表格", template="blocks/table_block.html")
    document = DocumentLinkBlock()
