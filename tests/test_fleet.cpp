// The fleet view shipped under deploy/: the Prometheus rules (deploy/prometheus/) and the
// Grafana dashboard (deploy/grafana/). Without outside tools: the dashboard is well-formed JSON
// with the panels the README promises, and every PromQL expression in the dashboard and the
// rules names only metrics that to_prometheus() writes (or that the rules record). With
// promtool ([tools]): `promtool check rules`, the rules' unit tests (`promtool test rules`),
// and every dashboard expression parses as PromQL. The end-to-end check against a real
// Prometheus server scraping two processes is tests/fleet/run.sh (ctest fleet_prometheus_alerts).
#include <leakwatch/leakwatch.hpp>

#include <catch2/catch.hpp>

#include "external_tools.hpp"
#include "json_check.hpp"

#include <cctype>
#include <cstddef>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#ifndef LEAKWATCH_SOURCE_DIR
#error "tests/CMakeLists.txt defines LEAKWATCH_SOURCE_DIR for test_fleet"
#endif

namespace {

const std::string source_dir = LEAKWATCH_SOURCE_DIR;
const std::string rules_path = source_dir + "/deploy/prometheus/leakwatch-rules.yml";
const std::string rules_test_path = source_dir + "/deploy/prometheus/leakwatch-rules.test.yml";
const std::string dashboard_path = source_dir + "/deploy/grafana/leakwatch-dashboard.json";

std::string read_source(const std::string& path) {
    const std::string text = tools::read_file(path);
    INFO("path: " << path);
    REQUIRE_FALSE(text.empty());
    return text;
}

// --- PromQL: the metric names an expression selects ---------------------------------------

bool name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_' || c == ':'; }
bool name_char(char c) { return name_start(c) || std::isdigit(static_cast<unsigned char>(c)) != 0; }

// Index just past the bracket that closes the one at `open` ('(', '{' or '['), skipping
// strings; fails the test when it is not closed.
std::size_t skip_group(const std::string& expr, std::size_t open) {
    int depth = 0;
    for (std::size_t i = open; i < expr.size(); ++i) {
        const char c = expr[i];
        if (c == '"' || c == '\'' || c == '`') {
            const std::size_t end = expr.find(c, i + 1);
            REQUIRE(end != std::string::npos);
            i = end;
        } else if (c == '(' || c == '{' || c == '[') {
            ++depth;
        } else if (c == ')' || c == '}' || c == ']') {
            if (--depth == 0) return i + 1;
        }
    }
    FAIL("unbalanced brackets in: " << expr);
    return expr.size();
}

// The metric names an expression selects: every identifier that is not a function (followed
// by '('), an aggregation or another keyword, a label name inside {...} or a grouping list
// (by, without, on, ignoring, group_left, group_right), a duration or a number, a string, or a
// Grafana variable ($job, ${job}, $__interval).
std::set<std::string> metric_names(const std::string& expr) {
    static const std::set<std::string> keywords = {"and", "or", "unless", "by", "without", "on", "ignoring",
                                                   "group_left", "group_right", "offset", "bool", "inf", "nan",
                                                   "atan2", "Inf", "NaN",
                                                   // aggregations, which may be followed by `by (...)` first
                                                   "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count",
                                                   "count_values", "bottomk", "topk", "quantile"};
    static const std::set<std::string> grouping = {"by", "without", "on", "ignoring", "group_left", "group_right"};
    std::set<std::string> names;
    std::size_t i = 0;
    while (i < expr.size()) {
        const char c = expr[i];
        if (c == '"' || c == '\'' || c == '`') {
            const std::size_t end = expr.find(c, i + 1);
            REQUIRE(end != std::string::npos);
            i = end + 1;
        } else if (c == '{' || c == '[') {
            i = skip_group(expr, i);  // label matchers, ranges and subqueries name no metric
        } else if (c == '$') {
            ++i;
            if (i < expr.size() && expr[i] == '{') i = skip_group(expr, i);
            else
                while (i < expr.size() && name_char(expr[i])) ++i;
        } else if (std::isdigit(static_cast<unsigned char>(c)) != 0 || (c == '.' && i + 1 < expr.size() &&
                                                                         std::isdigit(static_cast<unsigned char>(expr[i + 1])) != 0)) {
            while (i < expr.size() && (name_char(expr[i]) || expr[i] == '.')) ++i;  // 1e6, 0.5, 5m, 0x10
        } else if (name_start(c)) {
            const std::size_t start = i;
            while (i < expr.size() && name_char(expr[i])) ++i;
            const std::string word = expr.substr(start, i - start);
            std::size_t next = i;
            while (next < expr.size() && std::isspace(static_cast<unsigned char>(expr[next])) != 0) ++next;
            const bool call = next < expr.size() && expr[next] == '(';
            if (grouping.count(word) != 0) {
                if (call) i = skip_group(expr, next);  // by (job, instance): label names
            } else if (!call && keywords.count(word) == 0) {
                names.insert(word);
            }
        } else {
            ++i;
        }
    }
    return names;
}

// The families to_prometheus() writes when every one of them has a sample: findings read and
// never read, process memory and its breakdown known, untracked growth.
std::set<std::string> exported_metric_names() {
    leakwatch::finding read;
    read.label = "sessions";
    read.type = "tracked_map<int, int>";
    read.site = leakwatch::source_site{"src/a.cpp", 1, "f"};
    read.instances = 1;
    read.elements = 10;
    read.bytes = 640;
    read.verdict = leakwatch::verdict::unbounded;
    read.epochs_since_read = 2;
    leakwatch::finding never_read = read;
    never_read.label = "log";
    never_read.epochs_since_read = leakwatch::never;
    never_read.verdict = leakwatch::verdict::growing;
    leakwatch::report_totals totals;
    totals.process.resident_bytes = 1 << 20;
    totals.process.peak_resident_bytes = 2 << 20;
    totals.process.heap_in_use_bytes = 1 << 19;
    totals.process.heap_free_bytes = 1 << 10;
    totals.process.breakdown.available = true;  // the resident memory by category
    totals.process.breakdown.resident_bytes = 1 << 20;
    totals.untracked_growth = true;
    const std::string text = leakwatch::growth_report({read, never_read}, totals).to_prometheus();
    std::set<std::string> names;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind("# TYPE ", 0) == 0) names.insert(line.substr(7, line.find(' ', 7) - 7));
    }
    return names;
}

// --- the rules file: a reader for the subset of YAML it uses ------------------------------

struct rule {
    std::string kind;  // "record" or "alert"
    std::string name;
    std::string expr;
};

std::string trim(const std::string& text) {
    const std::size_t first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return std::string();
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::size_t indentation(const std::string& line) {
    const std::size_t first = line.find_first_not_of(' ');
    return first == std::string::npos ? line.size() : first;
}

// Rules of the shape `- record: NAME` / `- alert: NAME` followed by `expr: EXPR` on one line,
// or `expr: |` / `expr: >-` with the expression on the more indented lines below.
std::vector<rule> read_rules(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    std::vector<rule> rules;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string line = trim(lines[i]);
        if (line.rfind("- record:", 0) == 0 || line.rfind("- alert:", 0) == 0) {
            const std::size_t colon = line.find(':');
            rules.push_back({line.substr(2, colon - 2), trim(line.substr(colon + 1)), std::string()});
        } else if (line.rfind("expr:", 0) == 0) {
            INFO("line " << i + 1 << ": " << lines[i]);
            REQUIRE_FALSE(rules.empty());
            REQUIRE(rules.back().expr.empty());
            std::string value = trim(line.substr(5));
            if (value.empty() || value[0] == '|' || value[0] == '>') {
                value.clear();
                const std::size_t own = indentation(lines[i]);
                while (i + 1 < lines.size() && (trim(lines[i + 1]).empty() || indentation(lines[i + 1]) > own))
                    value += " " + trim(lines[++i]);
                value = trim(value);
            } else if (value.size() >= 2 && (value.front() == '\'' || value.front() == '"') && value.back() == value.front()) {
                value = value.substr(1, value.size() - 2);
            }
            rules.back().expr = value;
        }
    }
    return rules;
}

// --- the dashboard ------------------------------------------------------------------------

struct panel_query {
    std::string where;  // panel title, or templating variable
    std::string expr;
};

std::vector<panel_query> dashboard_queries(const json_check::value& dashboard) {
    std::vector<panel_query> out;
    for (const json_check::value& panel : dashboard["panels"].items) {
        if (panel.members.count("targets") == 0) continue;
        for (const json_check::value& target : panel["targets"].items)
            out.push_back({"panel \"" + panel["title"].text + "\" " + target["refId"].text, target["expr"].text});
    }
    // Query variables: label_values(SELECTOR, label) names the metric in SELECTOR.
    for (const json_check::value& variable : dashboard["templating"]["list"].items) {
        if (variable["type"].text != "query") continue;
        const std::string query = variable["definition"].text;
        const std::string prefix = "label_values(";
        INFO("variable " << variable["name"].text << ": " << query);
        REQUIRE(query.rfind(prefix, 0) == 0);
        const std::size_t comma = query.rfind(',');
        REQUIRE(comma != std::string::npos);
        out.push_back({"variable " + variable["name"].text, query.substr(prefix.size(), comma - prefix.size())});
    }
    return out;
}

}  // namespace

TEST_CASE("the PromQL name reader finds metric names and nothing else", "[fleet]") {
    CHECK(metric_names("sum by (job) (foo_bytes{job=~\"$job\", instance=~\"$instance\"})") ==
          std::set<std::string>{"foo_bytes"});
    CHECK(metric_names("a / on (instance) group_left(site) b:c:ratio[5m] offset 1h") ==
          std::set<std::string>{"a", "b:c:ratio"});
    CHECK(metric_names("topk(10, x) and (y == 1 or z > 1e6) unless w{label=\"a}b\"} > bool 0.5") ==
          std::set<std::string>{"x", "y", "z", "w"});
    CHECK(metric_names("rate(requests_total[$__rate_interval]) * ${scale}") == std::set<std::string>{"requests_total"});
    CHECK(metric_names("max without (site, label) (m)") == std::set<std::string>{"m"});
}

TEST_CASE("the rules reader finds every rule with its expression", "[fleet]") {
    const std::vector<rule> rules = read_rules(
        "groups:\n  - name: g\n    rules:\n      - record: a:b:sum\n        expr: sum by (job) (b)\n"
        "      - alert: Big\n        expr: |\n          c\n            and d\n        for: 5m\n"
        "      - alert: Quoted\n        expr: 'e == 1'\n");
    REQUIRE(rules.size() == 3);
    CHECK(rules[0].kind == "record");
    CHECK(rules[0].name == "a:b:sum");
    CHECK(rules[0].expr == "sum by (job) (b)");
    CHECK(rules[1].kind == "alert");
    CHECK(rules[1].expr == "c and d");
    CHECK(rules[2].expr == "e == 1");
}

TEST_CASE("the Grafana dashboard is well-formed JSON with the fleet panels", "[fleet]") {
    const std::string text = read_source(dashboard_path);
    json_check::value dashboard;
    REQUIRE_NOTHROW(dashboard = json_check::parse(text));
    REQUIRE(dashboard.type == json_check::value::kind::object);
    CHECK_FALSE(dashboard["title"].text.empty());
    CHECK_FALSE(dashboard["uid"].text.empty());
    CHECK(dashboard["schemaVersion"].number >= 30);

    // A data source variable, so that the dashboard imports into any Grafana with any
    // Prometheus data source; every panel and query uses it.
    std::set<std::string> variables;
    for (const json_check::value& variable : dashboard["templating"]["list"].items) variables.insert(variable["name"].text);
    CHECK(variables == std::set<std::string>{"datasource", "job", "instance"});
    CHECK(dashboard["templating"]["list"][0]["type"].text == "datasource");
    CHECK(dashboard["templating"]["list"][0]["query"].text == "prometheus");

    std::set<double> ids;
    std::set<std::string> titles;
    for (const json_check::value& panel : dashboard["panels"].items) {
        INFO("panel: " << panel["title"].text);
        CHECK(ids.insert(panel["id"].number).second);
        titles.insert(panel["title"].text);
        CHECK_FALSE(panel["type"].text.empty());
        CHECK(panel["gridPos"]["w"].number > 0);
        CHECK(panel["gridPos"]["h"].number > 0);
        CHECK(panel["gridPos"]["x"].number + panel["gridPos"]["w"].number <= 24);
        CHECK(panel["datasource"]["uid"].text == "${datasource}");
        REQUIRE_FALSE(panel["targets"].items.empty());
        std::set<std::string> ref_ids;
        for (const json_check::value& target : panel["targets"].items) {
            CHECK(ref_ids.insert(target["refId"].text).second);
            CHECK(target["datasource"]["uid"].text == "${datasource}");
            CHECK_FALSE(target["expr"].text.empty());
            // The selection applies everywhere.
            CHECK_THAT(target["expr"].text, Catch::Contains("job=~\"$job\"") && Catch::Contains("instance=~\"$instance\""));
        }
    }
    for (const char* wanted : {"Resident vs tracked memory", "Share of resident memory explained by tracked containers",
                               "Top findings by bytes", "Unbounded findings", "Untracked resident growth",
                               "Growing and unbounded findings over time"})
        CHECK(titles.count(wanted) == 1);
}

TEST_CASE("every PromQL expression of the dashboard and the rules names only metrics leakwatch exports", "[fleet]") {
    const std::set<std::string> exported = exported_metric_names();
    // The families the rules and the dashboard rely on are among them (a renamed metric
    // fails here, naming it).
    REQUIRE(exported.size() >= 25);

    const std::vector<rule> rules = read_rules(read_source(rules_path));
    std::set<std::string> recorded, alerts;
    for (const rule& r : rules) (r.kind == "record" ? recorded : alerts).insert(r.name);
    CHECK(alerts == std::set<std::string>{"LeakwatchFindingUnbounded", "LeakwatchUntrackedResidentGrowth"});
    CHECK(recorded.count("instance:leakwatch_resident_explained:ratio") == 1);

    // Rules read only what leakwatch exports (a rule reading another rule's output would be
    // evaluated in the wrong order within a group).
    for (const rule& r : rules) {
        INFO(r.kind << " " << r.name << ": " << r.expr);
        const std::set<std::string> names = metric_names(r.expr);
        CHECK_FALSE(names.empty());
        for (const std::string& name : names) {
            INFO("metric " << name);
            CHECK(exported.count(name) == 1);
        }
    }

    // The dashboard reads what leakwatch exports and what the rules record.
    json_check::value dashboard;
    REQUIRE_NOTHROW(dashboard = json_check::parse(read_source(dashboard_path)));
    const std::vector<panel_query> queries = dashboard_queries(dashboard);
    REQUIRE(queries.size() >= 10);
    std::set<std::string> used;
    for (const panel_query& q : queries) {
        INFO(q.where << ": " << q.expr);
        const std::set<std::string> names = metric_names(q.expr);
        CHECK_FALSE(names.empty());
        for (const std::string& name : names) {
            INFO("metric " << name);
            CHECK((exported.count(name) == 1 || recorded.count(name) == 1));
            used.insert(name);
        }
    }
    for (const char* wanted : {"leakwatch_process_resident_memory_bytes", "leakwatch_tracked_bytes",
                               "leakwatch_finding_bytes", "leakwatch_finding_unbounded",
                               "leakwatch_untracked_resident_growth", "instance:leakwatch_resident_explained:ratio"})
        CHECK(used.count(wanted) == 1);
}

TEST_CASE("promtool check rules accepts the shipped rules, and their unit tests pass", "[fleet][tools]") {
    const std::string promtool = tools::require_tool("promtool", "prometheus");
    tools::temp_dir dir("fleet-rules");
    const auto checked = tools::run("'" + promtool + "' check rules '" + rules_path + "'", dir.path());
    INFO("promtool check rules: " << checked.output << checked.errors);
    CHECK(checked.status == 0);
    CHECK_THAT(checked.output, Catch::Contains("SUCCESS: 5 rules found"));

    const auto tested = tools::run("'" + promtool + "' test rules '" + rules_test_path + "'", dir.path());
    INFO("promtool test rules: " << tested.output << tested.errors);
    CHECK(tested.status == 0);
    CHECK_THAT(tested.output, Catch::Contains("SUCCESS"));
    CHECK_THAT(tested.output + tested.errors, !Catch::Contains("FAILED"));
}

TEST_CASE("promtool parses every PromQL expression of the dashboard", "[fleet][tools]") {
    const std::string promtool = tools::require_tool("promtool", "prometheus");
    tools::temp_dir dir("fleet-dashboard");
    json_check::value dashboard;
    REQUIRE_NOTHROW(dashboard = json_check::parse(read_source(dashboard_path)));
    // Each expression, with the dashboard's variables replaced by what "All" selects, as the
    // expression of a recording rule: `promtool check rules` parses it.
    std::string rules = "groups:\n  - name: dashboard\n    rules:\n";
    std::size_t n = 0;
    for (const panel_query& q : dashboard_queries(dashboard)) {
        std::string expr = q.expr;
        for (const std::string variable : {"$job", "$instance"})
            for (std::size_t at = expr.find(variable); at != std::string::npos; at = expr.find(variable, at))
                expr.replace(at, variable.size(), ".*");
        std::string quoted;
        for (char c : expr) quoted += c == '\'' ? std::string("''") : std::string(1, c);
        rules += "      - record: dashboard_query_" + std::to_string(++n) + "\n        expr: '" + quoted + "'\n";
    }
    tools::write_file(dir / "dashboard-rules.yml", rules);
    const auto checked = tools::run("'" + promtool + "' check rules '" + (dir / "dashboard-rules.yml") + "'", dir.path());
    INFO("rules: " << rules);
    INFO("promtool check rules: " << checked.output << checked.errors);
    CHECK(checked.status == 0);
    CHECK_THAT(checked.output, Catch::Contains("SUCCESS: " + std::to_string(n) + " rules found"));
}
