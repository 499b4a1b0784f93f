package dev.rlhf.rl.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TopicNamesTest {

    @Test
    void namesArePerJob() {
        assertEquals("rlhf.ppo-7.prompts", TopicNames.prompts("ppo-7"));
        assertEquals("rlhf.ppo-7.rollouts", TopicNames.rollouts("ppo-7"));
        assertEquals("rlhf.ppo-7.policy-versions", TopicNames.policyVersions("ppo-7"));
        assertEquals("rlhf.ppo-7.workers", TopicNames.workerGroup("ppo-7"));
        assertEquals("rlhf.ppo-7.learner", TopicNames.learnerGroup("ppo-7"));
    }

    @Test
    void aJobIdThatCannotNameATopicIsRejected() {
        for (String bad : new String[] {"", "a.b", "a b", "ä", "x".repeat(201)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TopicNames.prompts(bad));
            assertTrue(e.getMessage().startsWith("job id '" + bad + "'"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> TopicNames.rollouts(null));
    }
}
