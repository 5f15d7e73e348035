package dev.orbit.report;

import java.nio.file.Path;
import java.util.List;

import dev.orbit.io.AtomicFiles;

/** A self-contained HTML page: headings, paragraphs, tables and inline SVG charts; no external resources. */
public final class HtmlReport {
    private final StringBuilder body = new StringBuilder();
    private final String title;

    public HtmlReport(String title) {
        this.title = title;
        body.append("<h1>").append(escape(title)).append("</h1>\n");
    }

    public HtmlReport heading(String text) {
        body.append("<h2>").append(escape(text)).append("</h2>\n");
        return this;
    }

    public HtmlReport paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    /**
     * A table in a horizontally scrolling box, so a wide one never widens the page (the report tests hold every table
     * to the page width anyway: split tables with many columns).
     */
    public HtmlReport table(List<String> headers, List<List<String>> rows) {
        body.append("<div class=\"table\"><table>\n<tr>");
        for (String h : headers) body.append("<th>").append(escape(h)).append("</th>");
        body.append("</tr>\n");
        for (List<String> r : rows) {
            body.append("<tr>");
            for (String c : r) body.append("<td>").append(escape(c)).append("</td>");
            body.append("</tr>\n");
        }
        body.append("</table></div>\n");
        return this;
    }

    /** An SVG chart (from {@link Charts}), wrapped in a figure with a caption that says what to look at. */
    public HtmlReport chart(String svg, String caption) {
        body.append("<figure class=\"chart\">").append(svg).append("<figcaption>").append(escape(caption))
                .append("</figcaption></figure>\n");
        return this;
    }

    public HtmlReport link(String href, String text) {
        body.append("<p><a href=\"").append(escape(href)).append("\">").append(escape(text)).append("</a></p>\n");
        return this;
    }

    public String html() {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>\n"
                + "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}"
                + ".table{overflow-x:auto;max-width:100%}table{border-collapse:collapse;margin:1em 0;font-size:90%}"
                + "td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}th{background:#f3f3f3}"
                + "td:first-child,th:first-child{text-align:left}figure{margin:1.5em 0}svg{max-width:100%;height:auto}"
                + "figcaption{font-size:90%;color:#444;max-width:640px}</style>\n"
                + "</head><body>\n" + body + "</body></html>\n";
    }

    public void write(Path file) { AtomicFiles.writeString(file, html()); }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
