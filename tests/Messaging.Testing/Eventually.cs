namespace Messaging.Testing;

/// <summary>Polls a condition that background work will make true; fails with a clear message if it never does.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan? timeout = null, string? because = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail(because ?? "The condition did not become true in time.");
            }

            await Task.Delay(100);
        }
    }
}
