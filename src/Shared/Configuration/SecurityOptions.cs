using System.ComponentModel.DataAnnotations;

namespace Messaging.Shared.Configuration;

/// <summary>Keys that protect personal data at rest (section <c>Security</c>).</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>Base64 secret for the keyed hashes that turn identifiers into table keys.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Pepper { get; set; } = "";

    /// <summary>Base64 32-byte key that wraps the per-contact data keys and seals parked webhook bodies.</summary>
    [Required(AllowEmptyStrings = false)]
    public string MasterKey { get; set; } = "";
}
