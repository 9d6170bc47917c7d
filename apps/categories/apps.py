from django.apps import AppConfig


class CategoriesConfig(AppConfig):
    name = "apps.categories"
    label = "categories"
    verbose_name = "Categories"

    def ready(self) -> None:
        from . import hooks  # noqa: F401 - the article foot, the editor, publishing, checks
