#!/usr/bin/env python3
"""Drives Debian's chromium (through chromium-driver and selenium) against a
running triaged's dashboard, for DashboardBrowserTests.

Usage: dashboard_check.py BASE_URL USERNAME PASSWORD OUTPUT_DIRECTORY
Checks, in a real browser: a wrong password shows an error; signing in keeps
the token in sessionStorage (no cookie); the chart has one bar group per day of
the range with the API's numbers and today's partial bar marked and labelled;
focus shows a day's exact numbers; the table, the range selector, the popular
list (its JSON) and the external state work; nothing overflows at 360 px; the
browser logged no error (a CSP violation is one). Saves desktop.png and
mobile.png in OUTPUT_DIRECTORY. Prints every failure and exits 1 if any.
"""
import json
import os
import sys
import urllib.request
from datetime import date, timedelta

os.environ.setdefault("SE_OFFLINE", "true")  # selenium must not try to download a driver

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

base, username, password, output = sys.argv[1:5]
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def api(path, token):
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
    return json.load(urllib.request.urlopen(request))


options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1500",
                 "--lang=en-US"]:
    options.add_argument(argument)
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
wait = WebDriverWait(driver, 20)


def days_drawn():
    return driver.find_elements(By.CSS_SELECTOR, "#daily-chart g.day")


try:
    driver.get(base + "/")
    check(driver.title == "Triage dashboard", f"title: {driver.title!r}")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(password + "-wrong")
    driver.find_element(By.CSS_SELECTOR, "#sign-in-form button").click()
    wait.until(lambda d: d.find_element(By.ID, "sign-in-error").text)
    check(driver.find_element(By.ID, "sign-in-error").text == "Wrong username or password.",
          f"a wrong password's error: {driver.find_element(By.ID, 'sign-in-error').text!r}")
    check(not driver.find_element(By.ID, "dashboard").is_displayed(), "the dashboard stays hidden after a wrong password")

    driver.find_element(By.ID, "password").clear()
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "#sign-in-form button").click()
    wait.until(lambda d: len(days_drawn()) == 30)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#popular li") and d.find_element(By.ID, "external-state").text != "…")
    driver.execute_script("window.scrollTo(0, 0)")
    driver.save_screenshot(os.path.join(output, "desktop.png"))
    token = driver.execute_script("return sessionStorage.getItem('triage.token')")
    check(bool(token), "the token is in sessionStorage")
    check(driver.execute_script("return document.cookie") == "", "no cookie is set")

    # One bar group per day of the range, with the API's numbers.
    groups = days_drawn()
    today = groups[-1].get_attribute("data-date")
    first = (date.fromisoformat(today) - timedelta(days=29)).isoformat()
    rows = {row["date"]: row for row in api(f"/api/stats/daily?from={first}&to={today}", token)}
    check([g.get_attribute("data-date") for g in groups] == [(date.fromisoformat(first) + timedelta(days=i)).isoformat() for i in range(30)],
          "the chart's days are the 30 days ending today")
    for group in groups:
        day = group.get_attribute("data-date")
        row = rows.get(day)
        if row is None:
            check(group.get_attribute("data-missing") == "true", f"{day}: no row, drawn as missing")
            continue
        drawn = [group.get_attribute(name) for name in ("data-created", "data-resolved", "data-comments", "data-partial")]
        expected = [str(row["createdCount"]), str(row["resolvedCount"]), str(row["commentCount"]), str(row["partial"]).lower()]
        check(drawn == expected, f"{day}: drawn {drawn}, the API says {expected}")
        heights = [float(r.get_attribute("height")) for r in group.find_elements(By.CSS_SELECTOR, "rect.created, rect.resolved")]
        check(len(heights) == 2 and (heights[0] > 0) == (row["createdCount"] > 0), f"{day}: bar heights {heights}")
    check(sum(1 for row in rows.values() if not row["partial"]) >= 20, f"the test's history is in the chart: {len(rows)} rows")

    partial = [g for g in groups if g.get_attribute("data-partial") == "true"]
    check(len(partial) == 1 and partial[0] == groups[-1], "exactly one partial day, today, the last")
    if partial:
        check(len(partial[0].find_elements(By.CSS_SELECTOR, "rect.partial")) == 2, "today's bars are drawn as partial")
        check("today (so far)" in partial[0].text or partial[0].find_element(By.CSS_SELECTOR, "text.partial-label").get_attribute("textContent") == "today (so far)",
              "today's bars are labelled")

    # Focus gives the exact numbers.
    hit = groups[-1].find_element(By.CSS_SELECTOR, "rect.hit")
    driver.execute_script("arguments[0].focus()", hit)
    detail = driver.find_element(By.ID, "daily-detail").text
    today_row = rows[today]
    check(detail == f"{today} (today, so far): created {today_row['createdCount']}, resolved {today_row['resolvedCount']}, "
                    f"comments {today_row['commentCount']}", f"focus detail: {detail!r}")
    check(hit.get_attribute("aria-label") == detail, "the focusable bar is labelled with the same text")

    # The table has the same numbers.
    driver.find_element(By.CSS_SELECTOR, "details summary").click()
    table = driver.find_elements(By.CSS_SELECTOR, "#daily-table tbody tr")
    check(len(table) == 30, f"30 table rows, got {len(table)}")
    if table:
        cells = [c.text for c in table[-1].find_elements(By.TAG_NAME, "td")]
        check(cells[:4] == [today, str(today_row["createdCount"]), str(today_row["resolvedCount"]), str(today_row["commentCount"])]
              and cells[5] == "today, so far", f"today's table row: {cells}")
    backlog = driver.find_elements(By.CSS_SELECTOR, "#backlog-chart rect.hit")
    check(len(backlog) == 30, f"a backlog point per day, got {len(backlog)}")

    # The popular list links to each issue's JSON.
    links = driver.find_elements(By.CSS_SELECTOR, "#popular a")
    check(len(links) > 0, "popular issues are listed")
    if links:
        check(links[0].get_attribute("href").startswith(base + "/api/issues/"), f"link: {links[0].get_attribute('href')}")
        links[0].click()
        wait.until(lambda d: d.find_element(By.ID, "issue-json").is_displayed())
        shown = json.loads(driver.find_element(By.ID, "issue-json").text)
        check(links[0].get_attribute("href").endswith(f"/api/issues/{shown.get('id')}"), f"the issue's JSON is shown: {shown}")
    external = driver.find_element(By.ID, "external-state").text
    check(external.startswith("live") or external.startswith("degraded"), f"external state: {external!r}")

    Select(driver.find_element(By.ID, "range")).select_by_value("7")
    wait.until(lambda d: len(days_drawn()) == 7)
    check(days_drawn()[-1].get_attribute("data-date") == today, "the 7-day range ends today")

    driver.set_window_size(360, 1400)
    Select(driver.find_element(By.ID, "range")).select_by_value("30")
    wait.until(lambda d: len(days_drawn()) == 30)
    width = driver.execute_script("return document.documentElement.scrollWidth")
    check(width <= 360, f"nothing overflows at 360 px: the page is {width} px wide")
    driver.execute_script("window.scrollTo(0, 0)")
    driver.save_screenshot(os.path.join(output, "mobile.png"))

    errors = [entry for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
    # The wrong password's 401 is logged by the browser as a failed resource; anything else is a defect.
    unexpected = [e for e in errors if not ("/api/auth/login" in e["message"] and "401" in e["message"])]
    check(not unexpected, f"browser console errors (CSP violations among them): {unexpected}")
finally:
    driver.quit()

for failure in failures:
    print("FAIL:", failure)
print(json.dumps({"failures": len(failures)}))
sys.exit(1 if failures else 0)
