using System.Globalization;
using System.Text;
using CdnPlatform.Origin.Content;
using CdnPlatform.Origin.Responses;
using static CdnPlatform.Origin.Pages.HtmlLayout;

namespace CdnPlatform.Origin.Pages;

/// <summary>
/// <c>/cms/admin</c>: pick a product, type a price and the CMS key, publish. The page calls the CMS API and
/// shows its answer: the time from publish to purged at every edge, or that the purge is queued.
/// </summary>
public sealed class AdminPage(IShopContent content, PrivateResults results)
{
    public async Task<ShopResponse> RenderAsync(CancellationToken cancellationToken)
    {
        var options = new StringBuilder();
        foreach (var product in await content.ListProductsAsync(cancellationToken))
        {
            options.Append(CultureInfo.InvariantCulture,
                $"<option value=\"{product.Id}\" data-price=\"{product.Price.ToString("0.00", CultureInfo.InvariantCulture)}\">{product.Id} · {Encode(product.Name)} ({Price(product.Price)})</option>");
        }

        return results.Html("Publish a price", $$"""
            <h2>Publish a price</h2>
            <form id="publish">
              <label>Product <select name="productId">{{options}}</select></label>
              <label>Price (€) <input name="price" type="number" step="0.01" min="0" required></label>
              <label>CMS key <input name="key" type="password" autocomplete="off" required></label>
              <button type="submit">Publish</button>
            </form>
            <p id="result" role="status"></p>
            <script>
            const form = document.getElementById("publish");
            const result = document.getElementById("result");
            form.addEventListener("submit", async (event) => {
              event.preventDefault();
              const data = new FormData(form);
              result.textContent = "Publishing…";
              const response = await fetch("/cms/products/" + data.get("productId"), {
                method: "POST",
                headers: { "Content-Type": "application/json", "Authorization": "Bearer " + data.get("key") },
                body: JSON.stringify({ price: Number(data.get("price")) }),
              });
              const answer = await response.json();
              result.textContent = !response.ok && response.status !== 202 ? "Refused: " + answer.error
                : answer.purge.state === "purged" ? "Published; purged at every edge in " + answer.purge.ms.toFixed(1) + " ms."
                : "Published; purge " + answer.purge.state + ": " + (answer.purge.reason || "");
            });
            </script>
            """);
    }
}
