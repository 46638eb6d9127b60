using Messaging.Shared.LocalHostOnly.Sandbox;

namespace Messaging.LocalHost.Sandbox;

/// <summary>A failure armed for the next send: refused in the send response, or accepted and then reported as a failed status.</summary>
public sealed record SandboxNextFailure(SandboxError Error, bool AsStatus);
