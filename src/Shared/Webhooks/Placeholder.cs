namespace Messaging.Shared.Webhooks;
internal static class Placeholder;
