package dev.rlhf.core.data;

import static dev.rlhf.core.data.DataFilesForTests.gzip;
import static dev.rlhf.core.data.DataFilesForTests.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.tokenizer.ChatMessage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetReaderTest {
    private static final String CHAT_LINE = "{\"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"},"
            + " {\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello.\"}]}";

    @TempDir
    Path dir;

    @Test
    void alpacaRowsBecomeAUserAndAnAssistantTurn() {
        Path file = write(
                dir,
                "alpaca.jsonl",
                "{\"instruction\": \"Translate.\", \"input\": \"bonjour\", \"output\": \"hello\"}",
                "",
                "{\"instruction\": \"Count to two.\", \"output\": \"1 2\"}",
                "{\"instruction\": \"Say hi.\", \"input\": \"\", \"output\": \"hi\"}");
        DatasetFile<List<ChatMessage>> data = DatasetReader.conversations(file, DataFormat.ALPACA, false);
        assertEquals(
                List.of(
                        List.of(ChatMessage.user("Translate.\n\nbonjour"), ChatMessage.assistant("hello")),
                        List.of(ChatMessage.user("Count to two."), ChatMessage.assistant("1 2")),
                        List.of(ChatMessage.user("Say hi."), ChatMessage.assistant("hi"))),
                data.rows());
        assertEquals("alpaca", data.format());
    }

    @Test
    void chatRowsKeepTheirRoles() {
        Path file = write(dir, "chat.jsonl", CHAT_LINE);
        assertEquals(
                List.of(List.of(
                        ChatMessage.system("Be brief."), ChatMessage.user("Hi"), ChatMessage.assistant("Hello."))),
                DatasetReader.conversations(file, DataFormat.CHAT, false).rows());
    }

    @Test
    void hhRowsAreSplitAtTheHumanAndAssistantMarkers() {
        Path file = write(
                dir,
                "hh.jsonl",
                "{\"chosen\": \"\\n\\nHuman: Hi there\\n\\nAssistant: Hello!\\n\\nHuman: Bye\\n\\nAssistant: Bye.\","
                        + " \"rejected\": \"\\n\\nHuman: Hi there\\n\\nAssistant: Hello!\\n\\nHuman: Bye\\n\\nAssistant: No.\"}");
        assertEquals(
                List.of(List.of(
                        ChatMessage.user("Hi there"),
                        ChatMessage.assistant("Hello!"),
                        ChatMessage.user("Bye"),
                        ChatMessage.assistant("Bye."))),
                DatasetReader.conversations(file, DataFormat.HH, false).rows());
        PreferencePair pair =
                DatasetReader.pairs(file, DataFormat.HH, false).rows().get(0);
        assertEquals(
                List.of(ChatMessage.user("Hi there"), ChatMessage.assistant("Hello!"), ChatMessage.user("Bye")),
                pair.prompt());
        assertEquals("Bye.", pair.chosen());
        assertEquals("No.", pair.rejected());
    }

    @Test
    void promptPairsTakeAStringOrMessages() {
        Path file = write(
                dir,
                "pairs.jsonl",
                "{\"prompt\": \"2+2?\", \"chosen\": \"4\", \"rejected\": \"5\"}",
                "{\"prompt\": [{\"role\": \"system\", \"content\": \"Math.\"}, {\"role\": \"user\", \"content\": \"1+1?\"}],"
                        + " \"chosen\": \"2\", \"rejected\": \"3\"}");
        List<PreferencePair> pairs =
                DatasetReader.pairs(file, DataFormat.AUTO, false).rows();
        assertEquals(new PreferencePair(List.of(ChatMessage.user("2+2?")), "4", "5"), pairs.get(0));
        assertEquals(
                List.of(ChatMessage.system("Math."), ChatMessage.user("1+1?")),
                pairs.get(1).prompt());
        assertEquals(
                List.of(ChatMessage.user("2+2?"), ChatMessage.assistant("4")),
                pairs.get(0).chosenChat());
    }

    @Test
    void textIsJsonLinesOrAWholePlainFile() {
        Path jsonl = write(dir, "docs.jsonl", "{\"text\": \"first doc\"}", "{\"text\": \"second doc\"}");
        assertEquals(
                List.of("first doc", "second doc"),
                DatasetReader.texts(jsonl, DataFormat.AUTO, false).rows());
        Path plain = write(dir, "plain.txt", "ROMEO:", "But soft!");
        assertEquals(
                List.of("ROMEO:\nBut soft!\n"),
                DatasetReader.texts(plain, DataFormat.TEXT, false).rows());
    }

    @Test
    void autoDetectsEachConversationFormat() {
        assertEquals(
                "chat",
                DatasetReader.conversations(write(dir, "a", CHAT_LINE), DataFormat.AUTO, false)
                        .format());
        Path alpaca = write(dir, "b", "{\"instruction\": \"x\", \"output\": \"y\"}");
        assertEquals(
                "alpaca",
                DatasetReader.conversations(alpaca, DataFormat.AUTO, false).format());
        Path hh = write(dir, "c", "{\"chosen\": \"\\n\\nHuman: x\\n\\nAssistant: y\", \"rejected\": \"r\"}");
        assertEquals(
                "hh", DatasetReader.conversations(hh, DataFormat.AUTO, false).format());

        Path unknown = write(dir, "d", "{\"question\": \"x\", \"answer\": \"y\"}");
        DataException e =
                assertThrows(DataException.class, () -> DatasetReader.conversations(unknown, DataFormat.AUTO, false));
        assertTrue(
                e.getMessage().startsWith(unknown + ":1: cannot detect the format from the fields [question, answer]"),
                e.getMessage());
    }

    @Test
    void gzipIsReadByItsMagicBytesWhateverTheName() {
        Path named = gzip(dir, "chat.jsonl.gz", CHAT_LINE, CHAT_LINE);
        Path unnamed = gzip(dir, "chat.jsonl", CHAT_LINE);
        assertEquals(
                2,
                DatasetReader.conversations(named, DataFormat.AUTO, false)
                        .rows()
                        .size());
        assertEquals(
                1,
                DatasetReader.conversations(unnamed, DataFormat.CHAT, false)
                        .rows()
                        .size());
        Path fake = write(dir, "fake.jsonl.gz", CHAT_LINE);
        DataException e =
                assertThrows(DataException.class, () -> DatasetReader.conversations(fake, DataFormat.CHAT, false));
        assertEquals(fake + ": named .gz but not gzip data", e.getMessage());
    }

    @Test
    void aBadLineFailsWithFileAndLine() {
        assertBadLine("{\"instruction\": \"x\", \"output\": \"y\"}\n{not json", 2, "not valid JSON");
        assertBadLine("{\"instruction\": \"x\"}", 1, "missing field 'output'");
        assertBadLine(
                "\n\n{\"instruction\": \"x\", \"output\": 3}", 3, "field 'output' must be a string, got a number");
        assertBadLine("[1, 2]", 1, "expected a JSON object, got an array");
    }

    @Test
    void anUnknownChatRoleIsABadLine() {
        Path file = write(dir, "roles.jsonl", CHAT_LINE, "{\"messages\": [{\"role\": \"bot\", \"content\": \"x\"}]}");
        DataException e =
                assertThrows(DataException.class, () -> DatasetReader.conversations(file, DataFormat.CHAT, false));
        assertEquals(
                file
                        + ":2: messages[0]: unknown role 'bot' (expected one of system, user, assistant) (reading as chat)",
                e.getMessage());
    }

    @Test
    void skippedBadLinesAreCounted() {
        Path file = write(
                dir,
                "mixed.jsonl",
                CHAT_LINE,
                "{oops",
                CHAT_LINE,
                "{\"messages\": [{\"role\": \"user\", \"content\": \"no reply\"}]}",
                "{\"messages\": 3}",
                CHAT_LINE);
        DatasetFile<List<ChatMessage>> data = DatasetReader.conversations(file, DataFormat.CHAT, true);
        assertEquals(3, data.rows().size());
        assertEquals(3, data.skippedLines());
        assertEquals(
                file + ":2: not valid JSON (reading as chat)",
                data.firstSkipped().orElseThrow());
    }

    @Test
    void formatsThatGiveAnotherKindOfRowAreRefused() {
        Path file = write(dir, "x.jsonl", CHAT_LINE);
        DataException e =
                assertThrows(DataException.class, () -> DatasetReader.conversations(file, DataFormat.TEXT, false));
        assertEquals(file + ": format 'text' does not give conversations (chat, alpaca or hh)", e.getMessage());
    }

    private void assertBadLine(String contents, int line, String reason) {
        Path file = write(dir, "bad" + line + ".jsonl", contents);
        DataException e =
                assertThrows(DataException.class, () -> DatasetReader.conversations(file, DataFormat.ALPACA, false));
        assertEquals(file + ":" + line + ": " + reason + " (reading as alpaca)", e.getMessage());
    }
}
