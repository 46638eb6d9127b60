namespace Messaging.Shared.Compliance;

/// <summary>The controller named in the records of processing: <c>Compliance:Controller:*</c>.</summary>
public sealed class ControllerOptions
{
    public const string Section = "Compliance:Controller";

    public string? Name { get; set; }

    public string? Address { get; set; }

    public string? Contact { get; set; }

    public string? DataProtectionOfficer { get; set; }
}
