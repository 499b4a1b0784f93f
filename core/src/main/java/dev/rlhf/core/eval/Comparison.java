package dev.rlhf.core.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * A candidate judged against the baseline on every prompt: each judge's {@link WinRate}, the judges' agreement when
 * both ran, and the per-prompt rows (both answers and each verdict).
 *
 * @param rewardModel the reward-model judge's tally; null without one
 * @param llm the LLM judge's tally; null without one
 * @param llmInconsistent prompts where the LLM judge's two orders disagreed (counted as ties)
 * @param agreement the two judges' agreement; null unless both ran
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Comparison(
        String baseline,
        String candidate,
        @JsonProperty("reward_model") WinRate rewardModel,
        WinRate llm,
        @JsonProperty("llm_inconsistent") Integer llmInconsistent,
        JudgeAgreement agreement,
        List<PromptRow> prompts) {

    /**
     * One prompt of a comparison.
     *
     * @param baselineReward the reward of the baseline's answer; null without a reward-model judge
     * @param rewardModel the reward-model judge's outcome for the candidate; null without one
     * @param llm the LLM judge's verdicts and raw texts; null without one
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PromptRow(
            String prompt,
            @JsonProperty("baseline_answer") String baselineAnswer,
            @JsonProperty("candidate_answer") String candidateAnswer,
            @JsonProperty("baseline_reward") Double baselineReward,
            @JsonProperty("candidate_reward") Double candidateReward,
            @JsonProperty("reward_model_outcome") Outcome rewardModel,
            LlmVerdict llm) {}

    /** The comparison of the rows' verdicts; a judge absent from the rows is absent here. */
    static Comparison of(String baseline, String candidate, List<PromptRow> rows) {
        boolean byReward = rows.stream().allMatch(r -> r.rewardModel() != null);
        boolean byLlm = rows.stream().allMatch(r -> r.llm() != null);
        List<Outcome> rm = new ArrayList<>();
        List<Outcome> llm = new ArrayList<>();
        rows.forEach(r -> {
            rm.add(r.rewardModel());
            llm.add(r.llm() == null ? null : r.llm().outcome());
        });
        return new Comparison(
                baseline,
                candidate,
                byReward ? WinRate.of(rm) : null,
                byLlm ? WinRate.of(llm) : null,
                byLlm ? (int) rows.stream().filter(r -> r.llm().inconsistent()).count() : null,
                byReward && byLlm ? JudgeAgreement.of(rm, llm) : null,
                rows);
    }
}
