namespace Messaging.Shared.LocalHostOnly.Sandbox;

/// <summary>The result of reading a send request: either a <see cref="SandboxSend"/> or the error Graph would answer.</summary>
public sealed record GraphSendParse(SandboxSend? Send, SandboxError? Error)
{
    public static GraphSendParse Accepted(SandboxSend send) => new(send, null);

    public static GraphSendParse Refused(int code, string title, string details) => new(null, new SandboxError(code, title, details));
}
