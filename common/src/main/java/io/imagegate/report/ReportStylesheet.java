package io.imagegate.report;

import java.nio.charset.StandardCharsets;

/**
 * The stylesheet every HTML report links, written beside it as {@value ScanReports#STYLESHEET}:
 * Jenkins serves archived files under the CSP {@code style-src 'self'}, which blocks inline styles.
 * Long digests, package names and versions break anywhere, so no table pushes the page wider than
 * the window.
 */
final class ReportStylesheet {
    private ReportStylesheet() {}

    static final String CSS =
            """
            /* imagegate report */
            *,*::before,*::after{box-sizing:border-box}
            html{color-scheme:light}
            body{margin:0 auto;max-width:90rem;padding:1.5rem 2rem 3rem;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2328;background:#fff}
            h1{font-size:1.7rem;margin:0 0 .3rem}
            h2{font-size:1.3rem;margin:2.2rem 0 .5rem;padding-bottom:.3rem;border-bottom:1px solid #d0d7de}
            h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
            a{color:#0969da}
            code{font-family:ui-monospace,SFMono-Regular,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.88em}
            p,li,th,td,summary,code{overflow-wrap:anywhere}
            .ref{margin:.2rem 0 .8rem;color:#57606a}
            .digest{display:block;font-weight:400;color:#57606a}
            .meta{color:#57606a;font-size:.85rem}
            .scroll{max-width:100%;overflow-x:auto}
            table{border-collapse:collapse;width:100%;margin:.4rem 0}
            th,td{border:1px solid #d0d7de;padding:.3rem .55rem;text-align:left;vertical-align:top}
            thead th{background:#f6f8fa;font-weight:600}
            table.findings{table-layout:fixed}
            .findings .id{width:10rem}
            .findings .pkg{width:15%}
            .findings .ver{width:11%}
            .findings .why{width:22%}
            .n{text-align:right;font-variant-numeric:tabular-nums}
            .n,.fit{width:1%;white-space:nowrap;overflow-wrap:normal}
            .zero{color:#8c959f}
            .PASS,.FAIL{display:inline-block;padding:.05em .55em;border-radius:1em;font-size:.8em;font-weight:700;color:#fff;vertical-align:middle}
            .PASS{background:#1a7f37}
            .FAIL{background:#cf222e}
            .reasons li{margin:.2rem 0}
            details{margin:.5rem 0;border:1px solid #d0d7de;border-radius:6px}
            summary{padding:.4rem .7rem;cursor:pointer;font-weight:600}
            details[open]>summary{border-bottom:1px solid #d0d7de}
            details>.scroll{padding:.2rem .5rem .5rem}
            .CRITICAL>summary{background:#ffd7d5}
            .HIGH>summary{background:#ffe4cc}
            .MEDIUM>summary{background:#fff8c5}
            .LOW>summary{background:#ddf4ff}
            .UNKNOWN>summary{background:#eaeef2}
            .judgement{font-weight:600}
            .judgement.failing{color:#cf222e}
            .judgement.allowlisted{color:#8250df}
            .judgement.below-threshold,.judgement.ignored-unfixed{color:#57606a}
            tr.failing>td:first-child{box-shadow:inset 4px 0 0 #cf222e}
            """;

    static byte[] bytes() {
        return CSS.getBytes(StandardCharsets.UTF_8);
    }
}
