using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;

namespace Messaging.Shared.Backups;

/// <summary>
/// One table row as one NDJSON line, values as stored (sealed fields stay sealed bytes) with their Edm type, so a
/// restore writes back exactly what was read: <c>{"pk":..,"rk":..,"p":{"Name":["type", value]}}</c>.
/// </summary>
public static class BackupCodec
{
    public static void Write(Utf8JsonWriter json, TableEntity entity)
    {
        json.WriteStartObject();
        json.WriteString("pk", entity.PartitionKey);
        json.WriteString("rk", entity.RowKey);
        json.WriteStartObject("p");
        foreach (var (name, value) in entity)
        {
            if (name is "PartitionKey" or "RowKey" or "Timestamp" or "odata.etag" || value is null)
            {
                continue;
            }

            json.WriteStartArray(name);
            switch (value)
            {
                case string s: json.WriteStringValue("s"); json.WriteStringValue(s); break;
                case int i: json.WriteStringValue("i"); json.WriteNumberValue(i); break;
                case long l: json.WriteStringValue("l"); json.WriteStringValue(l.ToString(CultureInfo.InvariantCulture)); break;
                case double d: json.WriteStringValue("d"); json.WriteNumberValue(d); break;
                case bool b: json.WriteStringValue("b"); json.WriteBooleanValue(b); break;
                case DateTimeOffset t: json.WriteStringValue("t"); json.WriteStringValue(t); break;
                case DateTime t: json.WriteStringValue("t"); json.WriteStringValue(new DateTimeOffset(t.ToUniversalTime(), TimeSpan.Zero)); break;
                case Guid g: json.WriteStringValue("g"); json.WriteStringValue(g); break;
                case byte[] x: json.WriteStringValue("x"); json.WriteBase64StringValue(x); break;
                case BinaryData x: json.WriteStringValue("x"); json.WriteBase64StringValue(x.ToArray()); break;
                default: throw new InvalidOperationException($"Column {name} has a type a backup cannot keep: {value.GetType().Name}.");
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    public static TableEntity Read(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var entity = new TableEntity(root.GetProperty("pk").GetString(), root.GetProperty("rk").GetString());
        foreach (var column in root.GetProperty("p").EnumerateObject())
        {
            var type = column.Value[0].GetString();
            var value = column.Value[1];
            entity[column.Name] = type switch
            {
                "s" => value.GetString(),
                "i" => value.GetInt32(),
                "l" => long.Parse(value.GetString()!, CultureInfo.InvariantCulture),
                "d" => value.GetDouble(),
                "b" => value.GetBoolean(),
                "t" => value.GetDateTimeOffset(),
                "g" => value.GetGuid(),
                "x" => value.GetBytesFromBase64(),
                _ => throw new InvalidDataException($"Unknown column type '{type}' in a backup."),
            };
        }

        return entity;
    }
}
