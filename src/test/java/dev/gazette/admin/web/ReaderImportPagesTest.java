package dev.gazette.admin.web;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.testing.EditorSession;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.GazetteTest;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The import form's "create topics that don't exist yet" over HTTP: kept when the form comes back with an error, and the
 * import's page listing the topics it created with their row counts.
 */
@QuarkusTest
class ReaderImportPagesTest extends GazetteTest {

    private EditorSession editor;

    @BeforeEach
    void signIn() {
        fixtures.editorToken();
        fixtures.topic("Climate", "climate");
        editor = EditorSession.signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD, "/admin/subscribers/imports");
    }

    @Test
    void anImportCreatingTopicsListsThemOnItsPage() throws InterruptedException {
        editor.page().get("/admin/subscribers/imports").then().statusCode(200)
                .body(containsString("id=\"createTopics\" name=\"createTopics\" value=\"true\"  aria-describedby"));
        editor.page().multiPart("csrf-token", editor.csrf()).multiPart("createTopics", "true").post("/admin/subscribers/imports")
                .then().statusCode(400).body(containsString("id=\"createTopics\" name=\"createTopics\" value=\"true\" checked"));

        String location = editor.page().multiPart("csrf-token", editor.csrf()).multiPart("createTopics", "true")
                .multiPart("file", "club.csv", "email,topics\nana@example.org,climate;local-news\nben@example.org,local-news\n"
                        .getBytes(), "text/csv")
                .post("/admin/subscribers/imports").then().statusCode(303).extract().header("Location");
        String page = "";
        for (int i = 0; i < 100 && !page.contains("import-status\">DONE"); i++) {
            Thread.sleep(50);
            page = editor.page().get(location).then().statusCode(200).extract().asString();
        }
        assertTrue(page.contains("<p id=\"unknown-topics-count\">1 topic named in the file did not exist.\n"
                + "    The import created them: rename them on the <a href=\"/admin/topics\">Topics</a> page.</p>"), page);
        assertTrue(page.contains("<tr><td>local-news</td><td>2</td><td>created</td></tr>"), page);
        assertTrue(page.contains("Every row was imported."), page);
        editor.page().get("/admin/subscribers/imports").then().statusCode(200)
                .body(containsString("<p class=\"muted\" id=\"imports-count\">1 import</p>"));
    }
}
