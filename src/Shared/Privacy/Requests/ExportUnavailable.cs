namespace Messaging.Shared.Privacy.Requests;

/// <summary>Why a request has no export to download.</summary>
public enum ExportUnavailable
{
    /// <summary>No request with this id.</summary>
    UnknownRequest,

    /// <summary>Not an access request, or nothing was held, so nothing was exported.</summary>
    NoExport,

    /// <summary>Deleted: DataSubject:ExportRetention ended, or the person was erased since.</summary>
    Deleted,
}
