from oncolien.surveys import urls_builder

app_name = "surveys"

urlpatterns: list = [*urls_builder.urlpatterns]
