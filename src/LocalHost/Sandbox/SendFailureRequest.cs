namespace Messaging.LocalHost.Sandbox;

/// <summary>Arms a failure for the next send.</summary>
/// <param name="AsStatus">Accept, then report a failed status; left out, the code decides (131050 and 131049 arrive as statuses at Meta).</param>
public sealed record SendFailureRequest(int Code, bool? AsStatus);
