namespace Messaging.Shared.Campaigns.Audience;

/// <summary>Why one CSV row cannot be imported. The reason names columns, never the row's values (they are personal data).</summary>
public sealed record CsvRowError(int Row, string Reason);
