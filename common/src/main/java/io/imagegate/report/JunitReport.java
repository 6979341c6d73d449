package io.imagegate.report;

import io.imagegate.policy.Verdict;
import java.io.ByteArrayOutputStream;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The JUnit XML report: a test case per image and platform, failing when its verdict fails. */
final class JunitReport {
    private JunitReport() {}

    static byte[] bytes(List<Verdict> verdicts) {
        try {
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
            Element suites = doc.createElement("testsuites");
            doc.appendChild(suites);
            Element suite = doc.createElement("testsuite");
            suites.appendChild(suite);
            long failures = verdicts.stream().filter(v -> !v.passed()).count();
            suite.setAttribute("name", "imagegate scan");
            suite.setAttribute("tests", String.valueOf(verdicts.size()));
            suite.setAttribute("failures", String.valueOf(failures));
            suite.setAttribute("errors", "0");
            suite.setAttribute("skipped", "0");
            for (Verdict v : verdicts) {
                Element testcase = doc.createElement("testcase");
                testcase.setAttribute(
                        "classname", Findings.xml("imagegate.scan." + v.image().name()));
                testcase.setAttribute("name", Findings.xml(Findings.subject(v)));
                testcase.setAttribute("time", "0");
                if (!v.passed()) {
                    Element failure = doc.createElement("failure");
                    failure.setAttribute("message", Findings.xml(String.join("; ", v.reasons())));
                    failure.setAttribute("type", "PolicyViolation");
                    StringBuilder body = new StringBuilder();
                    v.failing()
                            .forEach(
                                    f ->
                                            body.append(f.severity())
                                                    .append(' ')
                                                    .append(f.id())
                                                    .append(' ')
                                                    .append(f.packageName())
                                                    .append(' ')
                                                    .append(f.installedVersion())
                                                    .append(
                                                            f.fixedVersion()
                                                                    .map(x -> " -> " + x)
                                                                    .orElse(" (no fix)"))
                                                    .append('\n'));
                    failure.setTextContent(Findings.xml(body.toString()).replace("\\x0a", "\n"));
                    testcase.appendChild(failure);
                }
                suite.appendChild(testcase);
            }
            Transformer transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.INDENT, "yes");
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            transformer.transform(new DOMSource(doc), new StreamResult(out));
            return out.toByteArray();
        } catch (ParserConfigurationException | TransformerException e) {
            throw new IllegalStateException(e);
        }
    }
}
