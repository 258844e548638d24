using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace CdnPlatform.Origin.Endpoints;

/// <summary>The fields of a posted form, read with the first problem named by its field.</summary>
public sealed class FormInput
{
    private readonly IFormCollection _form;

    private FormInput(IFormCollection form) => _form = form;

    /// <summary>Null when the body is not a form: the caller answers 400 (or 415) with <c>field</c> null.</summary>
    public static async Task<FormInput?> ReadAsync(HttpRequest request)
    {
        if (!request.HasFormContentType)
        {
            return null;
        }
        try
        {
            return new FormInput(await request.ReadFormAsync(request.HttpContext.RequestAborted));
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    public const string NotAForm = "expected a form body (application/x-www-form-urlencoded or multipart/form-data)";

    public bool TryGetText(string field, int maxLength, [NotNullWhen(true)] out string? value, [NotNullWhen(false)] out string? problem)
    {
        value = _form[field].ToString();
        problem = value.Length == 0 ? $"{field} is required"
            : value.Length > maxLength ? $"{field} is longer than {maxLength} characters"
            : null;
        if (problem is not null)
        {
            value = null;
            return false;
        }
        return true;
    }

    /// <param name="defaultValue">Used when the field is absent; null makes it required.</param>
    public bool TryGetInt(string field, int min, int max, int? defaultValue, out int value, [NotNullWhen(false)] out string? problem)
    {
        var text = _form[field].ToString();
        problem = null;
        if (text.Length == 0 && defaultValue is { } fallback)
        {
            value = fallback;
            return true;
        }
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) || value < min || value > max)
        {
            problem = text.Length == 0 ? $"{field} is required" : $"{field}: '{text}' is not a whole number from {min} to {max}";
            return false;
        }
        return true;
    }
}
