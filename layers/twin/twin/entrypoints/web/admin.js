(() => {
  "use strict";

  // The credential lives in this tab's session storage only: never local storage, a cookie or the URL.
  const STORAGE_KEY = "twin-admin-credential";
  const REQUEST_TIMEOUT_MS = 30000;
  const API_KEY = /^twk_[A-Za-z0-9_-]+$/;
  const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
  const SVG = "http://www.w3.org/2000/svg";
  const CHANNELS = { public_chat: "Public chat", public_mcp: "Public MCP", rest: "REST API", mcp: "MCP (editors)" };
  const defaults = { insightsUrl: "v1/admin/insights", answersUrl: "v1/admin/answers", maxQuestionChars: 500, maxAnswerChars: 1000 };
  let config = defaults;
  try {
    config = { ...defaults, ...JSON.parse(document.getElementById("admin-config").textContent) };
  } catch {
    // Opened without the server filling in the configuration: the defaults still work against the API.
  }

  const $ = (id) => document.getElementById(id);
  const signIn = $("sign-in");
  const signInForm = $("sign-in-form");
  const credentialInput = $("credential");
  const signInStatus = $("sign-in-status");
  const signInButton = $("sign-in-button");
  const dashboard = $("dashboard");
  const daysSelect = $("days");
  const status = $("status");
  let approvedQuestions = new Set();
  const answeredAs = new Map(); // an unanswered question → the wording its answer was approved under, when edited

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function svg(tag, attributes = {}) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
    return node;
  }

  const stored = () => sessionStorage.getItem(STORAGE_KEY);
  const same = (question) => question.toLowerCase().replace(/[\s?!.]+/g, " ").trim();
  const plural = (count, word) => `${count} ${word}${count === 1 ? "" : "s"}`;
  const dayLabel = (day) => new Date(`${day}T00:00:00Z`).toLocaleDateString(undefined, { day: "numeric", month: "short", timeZone: "UTC" });

  class ApiError extends Error {
    constructor(response, data) {
      super(failure(response, data));
      this.status = response.status;
    }
  }

  function failure(response, data) {
    const serverMessage = typeof data?.error?.message === "string" ? data.error.message : "";
    switch (response.status) {
      case 401: return "That token or key was not accepted: it may be mistyped, expired or revoked.";
      case 403: return "That token or key does not have the twin:admin scope.";
      case 429: return `Too many requests — try again in ${response.headers.get("Retry-After") || "a few"} s.`;
      case 409: return "The profile is being changed right now — try again in a moment.";
      case 503: return "The twin can't reach its data right now — try again in a moment.";
      case 400: case 422: return serverMessage || "The twin could not take that.";
      default: return `Something went wrong (HTTP ${response.status}) — please try again.`;
    }
  }

  function networkFailure(error) {
    if (error instanceof ApiError) return error.message;
    return error?.name === "TimeoutError" ? "The twin took too long to answer — please try again." : "Couldn't reach the twin — check your connection.";
  }

  async function call(method, url, { body, credential = stored() } = {}) {
    const headers = { Accept: "application/json", Authorization: `Bearer ${credential}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const data = response.status === 204 ? null : await response.json().catch(() => null);
    if (!response.ok) throw new ApiError(response, data);
    return data;
  }

  const insightsUrl = () => `${config.insightsUrl}?days=${encodeURIComponent(daysSelect.value)}`;

  // A refused credential ends the session: back to the sign-in, with the reason.
  function handle(error, shown) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      signOut(error.message);
      return;
    }
    shown.textContent = networkFailure(error);
    shown.classList.remove("ok");
  }

  function signOut(reason = "") {
    sessionStorage.removeItem(STORAGE_KEY);
    approvedQuestions = new Set();
    answeredAs.clear();
    setStatus("");
    for (const list of dashboard.querySelectorAll(".list, #per-day")) list.replaceChildren();
    for (const id of ["total", "answered", "not-answered"]) $(id).textContent = "";
    dashboard.hidden = true;
    signIn.hidden = false;
    signInStatus.textContent = reason;
    credentialInput.focus();
  }

  function showDashboard() {
    signIn.hidden = true;
    dashboard.hidden = false;
    signInStatus.textContent = "";
  }

  function setStatus(text, ok = true) {
    status.textContent = text;
    status.classList.toggle("ok", ok);
  }

  async function fetchAll(credential = stored()) {
    const [insights, answers] = await Promise.all([
      call("GET", insightsUrl(), { credential }),
      call("GET", config.answersUrl, { credential }),
    ]);
    renderApproved(answers.answers);
    renderInsights(insights);
  }

  async function load() {
    setStatus("Loading…");
    try {
      await fetchAll();
      setStatus("");
    } catch (error) {
      handle(error, status);
    }
  }

  async function refreshApproved() {
    try {
      renderApproved((await call("GET", config.answersUrl)).answers);
      markAnswered();
    } catch (error) {
      handle(error, status);
    }
  }

  signInForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const credential = credentialInput.value.trim();
    if (!credential) {
      signInStatus.textContent = "Paste a token or an API key.";
      credentialInput.focus();
      return;
    }
    if (!API_KEY.test(credential) && !JWT.test(credential)) {
      signInStatus.textContent = "That is neither a token (three parts joined by dots) nor an API key (twk_…).";
      credentialInput.focus();
      return;
    }
    signInButton.disabled = true;
    signInStatus.textContent = "";
    try {
      // Tried before it is kept: a credential the twin refuses is never stored.
      await fetchAll(credential);
      sessionStorage.setItem(STORAGE_KEY, credential);
      credentialInput.value = "";
      showDashboard();
      daysSelect.focus();
    } catch (error) {
      signInStatus.textContent = networkFailure(error);
      credentialInput.focus();
    } finally {
      signInButton.disabled = false;
    }
  });

  $("sign-out").addEventListener("click", () => signOut());
  daysSelect.addEventListener("change", load);

  function empty(list, text) {
    list.replaceChildren(el("li", "empty", text));
  }

  function renderInsights(data) {
    const total = Number(data.total) || 0;
    const answered = Number(data.answered) || 0;
    $("total").textContent = total;
    $("answered").textContent = answered;
    $("not-answered").textContent = total - answered;
    renderPerDay(Array.isArray(data.by_day) ? data.by_day : []);
    renderChannels(data.by_channel ?? {});
    renderCounted($("top-questions"), data.top_questions, "No questions in this period.");
    renderUnanswered(Array.isArray(data.unanswered) ? data.unanswered : []);
    const never = $("never-cited");
    const sections = Array.isArray(data.sections_never_cited) ? data.sections_never_cited : [];
    if (!sections.length) empty(never, "Every section was cited.");
    else never.replaceChildren(...sections.map((section) => {
      const item = el("li", "", section.title);
      item.append(el("span", "tag-type", section.section));
      return item;
    }));
  }

  function niceMax(value) {
    const magnitude = 10 ** Math.floor(Math.log10(Math.max(value, 1)));
    return [1, 2, 4, 5, 10].map((step) => step * magnitude).find((top) => top >= value);
  }

  // Stacked bars, one slot per day: answered at the bottom, not answered on top.
  function renderPerDay(days) {
    const box = $("per-day");
    if (!days.length) {
      box.replaceChildren();
      return;
    }
    const slot = 10, width = 7, height = 100;
    const top = niceMax(Math.max(2, ...days.map((day) => Number(day.total) || 0)));
    const total = days.reduce((sum, day) => sum + (Number(day.total) || 0), 0);
    const chart = svg("svg", {
      class: "bars", viewBox: `0 0 ${days.length * slot} ${height}`, preserveAspectRatio: "none", role: "img",
      "aria-label": `Questions per day from ${dayLabel(days[0].day)} to ${dayLabel(days.at(-1).day)}: ${total} in all`,
    });
    chart.append(svg("line", { class: "grid-line", x1: 0, x2: days.length * slot, y1: height / 2, y2: height / 2, "vector-effect": "non-scaling-stroke" }));
    days.forEach((day, index) => {
      const answered = Number(day.answered) || 0;
      const unanswered = (Number(day.total) || 0) - answered;
      const group = svg("g", { class: "day", "data-testid": "day-bar", "data-day": day.day, "data-answered": answered, "data-unanswered": unanswered });
      const title = svg("title");
      title.textContent = `${dayLabel(day.day)}: ${plural(answered + unanswered, "question")}, ${answered} answered`;
      group.append(title);
      let y = height;
      for (const [kind, count] of [["answered", answered], ["unanswered", unanswered]]) {
        if (!count) continue;
        const barHeight = (count / top) * height;
        y -= barHeight;
        group.append(svg("rect", { class: kind, x: index * slot + (slot - width) / 2, y, width, height: barHeight }));
      }
      chart.append(group);
    });
    const axisY = el("div", "chart-y");
    axisY.setAttribute("aria-hidden", "true");
    axisY.append(el("span", "", top), el("span", "", top / 2), el("span", "", 0));
    const axisX = el("div", "chart-x");
    axisX.setAttribute("aria-hidden", "true");
    axisX.append(el("span", "", dayLabel(days[0].day)), el("span", "", dayLabel(days.at(-1).day)));
    const figure = el("div", "chart");
    figure.append(axisY, chart, axisX);
    box.replaceChildren(figure, numbers(days));
  }

  // The chart's numbers as a table, for screen readers and for reading exact counts.
  function numbers(days) {
    const details = el("details", "numbers");
    details.append(el("summary", "", "The numbers"));
    const asked = days.filter((day) => Number(day.total) > 0);
    if (!asked.length) {
      details.append(el("p", "muted", "No questions in this period."));
      return details;
    }
    const table = el("table");
    const head = el("tr");
    for (const name of ["Day", "Questions", "Answered", "Not answered"]) head.append(el("th", "", name));
    table.append(head);
    for (const day of asked) {
      const row = el("tr");
      row.append(el("td", "", dayLabel(day.day)), el("td", "", day.total), el("td", "", day.answered), el("td", "", day.total - day.answered));
      table.append(row);
    }
    details.append(table);
    return details;
  }

  function meter(count, top) {
    const bar = svg("svg", { class: "meter", viewBox: "0 0 100 8", preserveAspectRatio: "none", "aria-hidden": "true" });
    if (count) bar.append(svg("rect", { class: "answered", x: 0, y: 0, height: 8, width: (count / top) * 100, rx: 2 }));
    return bar;
  }

  function renderChannels(byChannel) {
    const counts = Object.keys(CHANNELS).map((name) => [name, Number(byChannel[name]) || 0]);
    const top = Math.max(1, ...counts.map(([, count]) => count));
    $("channels").replaceChildren(...counts.map(([name, count]) => {
      const item = el("li", "channel");
      item.dataset.channel = name;
      const head = el("div", "item-head");
      head.append(el("span", "", CHANNELS[name]), el("span", "count", count));
      item.append(head, meter(count, top));
      return item;
    }));
  }

  function renderCounted(list, questions, none) {
    if (!Array.isArray(questions) || !questions.length) return empty(list, none);
    list.replaceChildren(...questions.map((counted) => {
      const item = el("li", "item-head");
      item.append(el("span", "question", counted.question), el("span", "count", `asked ${counted.count}×`));
      return item;
    }));
  }

  function renderUnanswered(questions) {
    const list = $("unanswered");
    if (!questions.length) return empty(list, "Every question in this period was answered.");
    list.replaceChildren(...questions.map((counted) => {
      const item = el("li", "unanswered-item");
      item.dataset.testid = "unanswered-item";
      item.dataset.question = counted.question;
      const head = el("div", "item-head");
      const actions = el("div", "item-actions");
      const open = el("button", "btn btn-secondary btn-small", "Answer this");
      open.type = "button";
      open.dataset.testid = "answer-this";
      open.setAttribute("aria-label", `Answer this: ${counted.question}`);
      open.addEventListener("click", () => openForm(item, open));
      const badge = el("span", "chip badge-answered", "answered");
      badge.dataset.testid = "answered-badge";
      badge.hidden = true;
      actions.append(el("span", "count", `asked ${counted.count}×`), badge, open);
      head.append(el("span", "question", counted.question), actions);
      item.append(head);
      return item;
    }));
    markAnswered();
  }

  // An unanswered question the owner has approved an answer for shows "answered" instead of the button.
  function markAnswered() {
    for (const item of document.querySelectorAll("[data-testid=unanswered-item]")) {
      const question = same(item.dataset.question);
      const done = approvedQuestions.has(question) || approvedQuestions.has(answeredAs.get(question));
      item.classList.toggle("is-answered", done);
      item.querySelector("[data-testid=answered-badge]").hidden = !done;
      item.querySelector("[data-testid=answer-this]").hidden = done || Boolean(item.querySelector("form"));
    }
  }

  let formCount = 0;

  function openForm(item, opener) {
    const form = $("answer-form").content.firstElementChild.cloneNode(true);
    const part = (name) => form.querySelector(`[data-id=${name}]`);
    formCount += 1;
    for (const label of form.querySelectorAll("label[data-for]")) {
      const field = part(label.dataset.for);
      field.id = `${label.dataset.for}-${formCount}`;
      label.htmlFor = field.id;
    }
    const question = part("question"), answer = part("answer"), counter = part("counter"), formStatus = part("status");
    question.maxLength = config.maxQuestionChars;
    question.value = item.dataset.question.slice(0, config.maxQuestionChars);
    answer.maxLength = config.maxAnswerChars;
    counter.id = `counter-${formCount}`;
    formStatus.id = `status-${formCount}`;
    answer.setAttribute("aria-describedby", `${counter.id} ${formStatus.id}`);
    const count = () => {
      counter.textContent = `${answer.value.length} / ${config.maxAnswerChars}`;
      counter.classList.toggle("near-limit", answer.value.length >= config.maxAnswerChars * 0.9);
    };
    const close = () => {
      form.remove();
      markAnswered();
      if (!opener.hidden) opener.focus();
    };
    answer.addEventListener("input", count);
    part("cancel").addEventListener("click", close);
    form.addEventListener("keydown", (event) => { if (event.key === "Escape") close(); });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const body = { question: question.value.trim(), answer: answer.value.trim() };
      if (!body.question || !body.answer) {
        formStatus.textContent = body.question ? "Write the answer first." : "The question can't be empty.";
        (body.question ? answer : question).focus();
        return;
      }
      const save = form.querySelector("[type=submit]");
      save.disabled = true;
      formStatus.textContent = "";
      try {
        await call("POST", config.answersUrl, { body });
        answeredAs.set(same(item.dataset.question), same(body.question));
        approvedQuestions.add(same(body.question));
        form.remove();
        markAnswered();
        setStatus(`Saved. Visitors who ask “${body.question}” now get your answer.`);
        item.tabIndex = -1;
        item.focus();
        await refreshApproved();
      } catch (error) {
        save.disabled = false;
        handle(error, formStatus);
      }
    });
    opener.hidden = true;
    item.append(form);
    count();
    answer.focus();
  }

  function renderApproved(answers) {
    const list = $("approved");
    const approved = Array.isArray(answers) ? answers : [];
    approvedQuestions = new Set(approved.map((answer) => same(String(answer.question))));
    if (!approved.length) return empty(list, "None yet: answer an unanswered question above.");
    list.replaceChildren(...approved.map((answer) => {
      const item = el("li");
      item.dataset.testid = "approved-item";
      const remove = el("button", "btn btn-secondary btn-small", "Remove");
      remove.type = "button";
      remove.dataset.testid = "remove-answer";
      remove.setAttribute("aria-label", `Remove the answer to: ${answer.question}`);
      remove.addEventListener("click", async () => {
        remove.disabled = true;
        try {
          await call("DELETE", `${config.answersUrl}/${encodeURIComponent(answer.id)}`);
          setStatus(`Removed the answer to “${answer.question}”.`);
          $("approved-title").focus();
          await refreshApproved();
        } catch (error) {
          remove.disabled = false;
          handle(error, status);
        }
      });
      const created = String(answer.created_at ?? "").slice(0, 10);
      const foot = el("div", "item-foot");
      foot.append(el("p", "meta", created ? `Approved ${dayLabel(created)}` : ""), remove);
      item.append(el("strong", "question", answer.question), el("p", "answer-text", answer.answer), foot);
      return item;
    }));
  }

  if (stored()) {
    showDashboard();
    load();
  } else {
    credentialInput.focus();
  }
})();
