using Messaging.Shared.LocalHostOnly.Queues;

namespace Messaging.Shared.Tests.Infrastructure;

public sealed class QueueWakeupsTests
{
    [Fact]
    public void A_nudge_wakes_a_loop_that_took_its_wait_before_the_nudge()
    {
        var wakeups = new QueueWakeups();
        var waiting = wakeups.Next("workflow-events");

        wakeups.Nudge("workflow-events");

        Assert.True(waiting.IsCompletedSuccessfully);
    }

    [Fact]
    public void A_wait_taken_after_the_nudge_waits_for_the_next_one()
    {
        var wakeups = new QueueWakeups();
        wakeups.Nudge("workflow-events");

        var waiting = wakeups.Next("workflow-events");

        Assert.False(waiting.IsCompleted);
        wakeups.Nudge("workflow-events");
        Assert.True(waiting.IsCompletedSuccessfully);
    }

    [Fact]
    public void A_nudge_of_one_queue_leaves_the_loops_of_other_queues_waiting()
    {
        var wakeups = new QueueWakeups();
        var other = wakeups.Next("events-out");

        wakeups.Nudge("workflow-events");

        Assert.False(other.IsCompleted);
    }
}
