namespace CdnPlatform.Control.Dashboard;

/// <summary>
/// <c>GET /dashboard</c>: the ops page, served without a key — it holds no data. It asks for an ops key and reads
/// everything through the <c>/v1</c> API with it, as any other client does.
/// </summary>
public static class DashboardEndpoint
{
    public static void MapDashboardEndpoint(this IEndpointRouteBuilder app)
    {
        var page = DashboardPage.Load();
        app.MapGet("/dashboard", (HttpContext context) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = page.ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.CacheControl = "no-cache";
            return Results.Bytes(page.Html, "text/html; charset=utf-8");
        });
    }
}
