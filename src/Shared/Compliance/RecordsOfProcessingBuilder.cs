using System.Text;
using Messaging.Shared.Backups;
using Messaging.Shared.Retention;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Compliance;

/// <summary>
/// Builds the <see cref="RecordsOfProcessing"/> from the running configuration: the controller from
/// <c>Compliance:Controller:*</c>, every retention and backup period from the validated options, the measures the code
/// enforces. The legal texts are drafts for the company's data protection officer to confirm.
/// </summary>
public sealed class RecordsOfProcessingBuilder(
    IOptions<ControllerOptions> controllerOptions, IOptions<RetentionOptions> retention, IOptions<BackupOptions> backups, TimeProvider time)
{
    private static readonly Dictionary<string, string> AppliesTo = new(StringComparer.Ordinal)
    {
        ["Messages"] = "messages in and out (sealed text, delivery statuses)",
        ["Inbox"] = "webhook de-duplication entries (keyed hashes)",
        ["Outbox"] = "outbound send records and their wamid index",
        ["Workflows"] = "finished workflow instances (opt-in, erasure, campaigns)",
        ["OptInTokens"] = "opt-in page codes, counted from expiry",
        ["UnhandledEvents"] = "webhook events that could not be attributed",
        ["ParkedWebhooks"] = "webhooks parked for an operator",
        ["WebhookBodies"] = "claim-check webhook bodies after processing",
        ["ExportRetention"] = "data-subject access exports",
        ["ProofRetention"] = "consent proof after withdrawal or erasure (Art. 17(3)(e))",
        ["InactiveContacts"] = "contacts with no message either way and no confirmed consent: erased after (erasure workflow, channel \"retention\")",
    };

    public RecordsOfProcessing Build()
    {
        var controller = controllerOptions.Value;
        var periods = RetentionSettings.All
            .Select(s => new RetentionPeriod(s.Key, Iso8601Duration.Format(s.Read(retention.Value)), AppliesTo.GetValueOrDefault(s.Name, s.Name)))
            .Append(new RetentionPeriod("Backup:Retention", Iso8601Duration.Format(backups.Value.Retention), "table backups (personal data sealed)"))
            .Append(new RetentionPeriod("Backup:KeyRetention", Iso8601Duration.Format(backups.Value.KeyRetention), "backups of the per-contact keys; bounds how long an erased contact stays readable in a backup"))
            .ToList();
        return new RecordsOfProcessing(
            time.GetUtcNow(),
            new Controller(controller.Name ?? "(set Compliance:Controller:Name)", controller.Address, controller.Contact, controller.DataProtectionOfficer),
            [
                new("Customer service", "Art. 6(1)(b) GDPR (pre-contract/contract) or 6(1)(f) (answering an enquiry)", "Receiving and answering WhatsApp messages inside the 24-hour service window."),
                new("Marketing with consent", "Art. 6(1)(a) GDPR; § 7(2) Nr. 2 UWG (prior express consent)", "Template messages only to contacts whose consent for the purpose is proven and not withdrawn."),
                new("Double opt-in proof", "Art. 6(1)(c) with Art. 7(1) GDPR; Art. 17(3)(e) after withdrawal", "Consent ledger: time, channel, consent text version, confirmation; kept for ProofRetention."),
                new("Data-subject requests", "Art. 6(1)(c) GDPR with Art. 12-22", "Access, erasure, objection; suppression entry (keyed hashes) so an objection holds."),
            ],
            ["Customers and prospects who message the business on WhatsApp", "People who opt in to WhatsApp marketing"],
            ["Phone number / WhatsApp id / business-scoped user id (sealed)", "Profile name (sealed)", "Message content and metadata (sealed)", "Consent events (no content, pseudonymous)", "Delivery statuses"],
            [
                new("Meta Platforms Ireland Ltd.", "processor (Art. 28)", "WhatsApp Business Platform Cloud API: transports messages; keeps content at most 30 days for retransmission"),
                new("Microsoft Ireland Operations Ltd.", "processor (Art. 28)", "Microsoft Azure: Functions, Storage, Service Bus, Key Vault in the EU region of the company's subscription"),
            ],
            [
                "Meta Platforms Ireland may involve Meta Platforms, Inc. (USA): EU-US Data Privacy Framework and Standard Contractual Clauses per Meta's data processing terms; Cloud API Local Storage can keep data at rest in the EU.",
                "Microsoft: data stored in the EU region chosen at deployment; EU Data Boundary; Standard Contractual Clauses in the Microsoft DPA.",
            ],
            periods,
            [
                "EU region only (Azure Policy on the resource group); storage without public network access where private networking is on.",
                "Per-contact encryption: personal fields sealed with AES-256-GCM under a per-contact data key wrapped by the master key; erasure shreds the key.",
                "Keyed-hash (HMAC with a secret pepper) table keys: no table key reveals a phone number.",
                "Identity-only access: managed identity with data-plane roles, shared keys disabled; secrets in Key Vault.",
                "Hash-chained, keyed audit log of erasures and retention sweeps; no personal data in logs, metrics or audit entries.",
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Daily backups ({backups.Value.Schedule}, cron, UTC) kept {Iso8601Duration.Format(backups.Value.Retention)}, write-once in Azure for that period; key backups apart, kept {Iso8601Duration.Format(backups.Value.KeyRetention)}, so erasure reaches every backup within that period, and a restore brings back nothing of a contact erased since."),
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Automatic deletion: daily retention sweep ({retention.Value.Schedule}, cron, UTC) per class of data, and erasure of inactive contacts after {Iso8601Duration.Format(retention.Value.InactiveContacts)}."),
                "Webhook signatures verified in constant time before any processing; consent checked again at each send.",
            ]);
    }

    public static string ToMarkdown(RecordsOfProcessing records)
    {
        var md = new StringBuilder();
        md.AppendLine("# Records of processing (Art. 30 GDPR)").AppendLine()
            .AppendLine("_Generated from the running configuration; a draft for the data protection officer to review._").AppendLine()
            .AppendLine("## Controller").AppendLine()
            .AppendLine("- " + records.Controller.Name);
        AppendIf(md, "Address", records.Controller.Address);
        AppendIf(md, "Contact", records.Controller.Contact);
        AppendIf(md, "Data protection officer", records.Controller.DataProtectionOfficer);
        md.AppendLine().AppendLine("## Purposes and legal bases").AppendLine().AppendLine("| Purpose | Legal basis | Description |").AppendLine("|---|---|---|");
        foreach (var p in records.Purposes)
        {
            md.AppendLine($"| {p.Name} | {p.LegalBasis} | {p.Description} |");
        }

        List("Categories of data subjects", records.DataSubjects);
        List("Categories of personal data", records.DataCategories);
        md.AppendLine().AppendLine("## Recipients").AppendLine().AppendLine("| Recipient | Role | Service |").AppendLine("|---|---|---|");
        foreach (var r in records.Recipients)
        {
            md.AppendLine($"| {r.Name} | {r.Role} | {r.Service} |");
        }

        List("Third-country transfers", records.Transfers);
        md.AppendLine().AppendLine("## Erasure time limits (as configured)").AppendLine().AppendLine("| Setting | Period (ISO 8601) | Applies to |").AppendLine("|---|---|---|");
        foreach (var r in records.Retention)
        {
            md.AppendLine($"| `{r.Setting}` | `{r.Period}` | {r.AppliesTo} |");
        }

        List("Technical and organisational measures (Art. 32)", records.TechnicalAndOrganisationalMeasures);
        return md.ToString();

        void List(string title, IReadOnlyList<string> items)
        {
            md.AppendLine().AppendLine("## " + title).AppendLine();
            foreach (var item in items)
            {
                md.AppendLine("- " + item);
            }
        }
    }

    private static void AppendIf(StringBuilder md, string label, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            md.AppendLine($"- {label}: {value}");
        }
    }
}
