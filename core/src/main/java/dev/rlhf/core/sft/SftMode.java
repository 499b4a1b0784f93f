package dev.rlhf.core.sft;

/** What an SFT job trains on. */
public enum SftMode {
    /** Conversations; loss on the assistant turns only. */
    SFT,
    /** Plain causal-LM pretraining on text; loss on every token. */
    PRETRAIN
}
