package dev.rlhf.cli;

import picocli.CommandLine.Command;

@Command(
        name = "chat",
        mixinStandardHelpOptions = true,
        description = "Chat templates: what the trainer sees of a conversation.",
        subcommands = {ChatRenderCommand.class})
final class ChatCommand {}
