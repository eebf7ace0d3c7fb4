from oncolien.surveys import urls_analysis

app_name = "surveys"

urlpatterns: list = [*urls_analysis.urlpatterns]
