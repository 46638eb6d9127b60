namespace Messaging.EndToEnd.Tests.LocalRun;

/// <summary>
/// ./run's secret set-up (ensure_local_secrets in scripts/lib.sh): what the user exported always wins, the rest is
/// generated once and kept, and only names are ever printed.
/// </summary>
public sealed class LocalSecretsTests : IDisposable
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("run-secrets");

    private string SecretsFile => Path.Combine(_data.FullName, "local-secrets.env");

    [Fact]
    public void An_exported_secret_wins_over_the_one_kept_from_an_earlier_run_and_is_not_written_down()
    {
        File.WriteAllText(SecretsFile, "export Meta__AppSecret='kept-from-an-earlier-run'\n");

        var run = Effective("Meta__AppSecret", new() { ["Meta__AppSecret"] = "exported-by-the-user" });

        Assert.Equal("exported-by-the-user", run.StandardOutput);
        Assert.DoesNotContain("exported-by-the-user", File.ReadAllText(SecretsFile), StringComparison.Ordinal);
        Assert.Contains("secrets from your environment: Meta__AppSecret", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotMatch("generated.*Meta__AppSecret", run.StandardError);
    }

    [Fact]
    public void Every_exported_secret_wins()
    {
        var exported = Bash.SecretNames.ToDictionary(n => n, n => "exported-" + n.Replace("__", "-", StringComparison.Ordinal));

        foreach (var name in Bash.SecretNames)
        {
            Assert.Equal(exported[name], Effective(name, exported).StandardOutput);
        }

        Assert.Equal("", File.ReadAllText(SecretsFile));
    }

    [Fact]
    public void Missing_secrets_are_generated_once_kept_and_named_but_never_printed()
    {
        var first = Effective("Api__Key", new() { ["Meta__AppSecret"] = "exported-by-the-user" });
        var second = Effective("Api__Key", new() { ["Meta__AppSecret"] = "exported-by-the-user" });

        Assert.Matches("^[A-Za-z0-9]{32}$", first.StandardOutput);
        Assert.Equal(first.StandardOutput, second.StandardOutput);
        Assert.Contains("generated local-only secrets in", first.StandardError, StringComparison.Ordinal);
        foreach (var name in Bash.SecretNames.Except(["Meta__AppSecret"]))
        {
            Assert.Contains(name, first.StandardError, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("generated", second.StandardError, StringComparison.Ordinal);
        foreach (var line in File.ReadAllLines(SecretsFile))
        {
            var value = line.Split('=', 2)[1].Trim('\'');
            Assert.DoesNotContain(value, first.StandardError + second.StandardError, StringComparison.Ordinal);
        }

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(SecretsFile));
        }
    }

    public void Dispose() => _data.Delete(recursive: true);

    private Bash.Result Effective(string name, Dictionary<string, string> environment)
    {
        environment["SECRETS_FILE"] = SecretsFile;
        var run = Bash.Lib($"ensure_local_secrets \"$SECRETS_FILE\"; printf '%s' \"${name}\"", environment);
        Assert.True(run.ExitCode == 0, run.StandardError);
        return run;
    }
}
