// Moving a block on the timetable by dragging it or with the keyboard. Progressive
// enhancement over each block's move form: the same form is posted (with its CSRF token) and
// the server checks the move against every rule. Accepted: the page of the new version opens.
// Refused: the block goes back to its place and the reasons are listed above the timetable.
// Keyboard: focus a block's handle; up/down move by one grid step, left/right by one day,
// Enter moves, Escape puts it back.
(function () {
  "use strict";
  const root = document.querySelector(".timetable[data-editable]");
  if (!root) return;
  const first = Number(root.dataset.first);
  const last = Number(root.dataset.last);
  const grid = Math.max(1, Number(root.dataset.grid) || 5);
  const span = last - first;
  const days = Array.from(root.querySelectorAll(".day-body"));
  const status = document.getElementById("move-status");
  const problems = document.getElementById("move-problems");
  const lang = document.documentElement.lang || undefined;
  const clock = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
  let pending = null; // {block, dayIndex, minute, origin: {dayIndex, minute}}

  const pad = (n) => String(n).padStart(2, "0");
  const label = (minute) => clock.format(new Date(Date.UTC(2000, 0, 1, Math.floor(minute / 60), minute % 60)));
  const isGrid = () => getComputedStyle(root).display === "grid";
  const say = (text) => { if (status) status.textContent = text; };

  function originOf(block) {
    const [date, time] = block.dataset.start.split("T");
    const [h, m] = time.split(":").map(Number);
    return { dayIndex: days.findIndex((d) => d.dataset.date === date), minute: h * 60 + m };
  }

  function clamp(minute, block) {
    const longest = last - Number(block.dataset.minutes || 0);
    return Math.min(Math.max(minute, first), Math.max(first, longest));
  }

  function hideProblems() {
    if (problems) problems.hidden = true;
  }

  function showProblems(reasons) {
    if (!problems) return;
    const list = problems.querySelector("ul");
    list.replaceChildren(...reasons.map((text) => {
      const item = document.createElement("li");
      item.textContent = text;
      return item;
    }));
    problems.hidden = false;
  }

  // The preview: a translation from the block's own place (it stays in its day's list, so
  // the focused handle keeps the focus), and the new time in its label.
  function preview(move) {
    const block = move.block;
    const time = block.querySelector(".time");
    if (time && !("original" in time.dataset)) time.dataset.original = time.textContent;
    const end = move.minute + Number(block.dataset.minutes || 0);
    if (time) time.textContent = label(move.minute) + "–" + label(end);
    block.classList.add("moving");
    if (isGrid() && move.dayIndex >= 0 && move.origin.dayIndex >= 0) {
      const from = days[move.origin.dayIndex].getBoundingClientRect();
      const to = days[move.dayIndex].getBoundingClientRect();
      const dy = ((move.minute - move.origin.minute) / span) * from.height;
      block.style.transform = `translate(${to.left - from.left}px, ${dy}px)`;
    }
  }

  function restore(move, announce) {
    const block = move.block;
    const time = block.querySelector(".time");
    if (time && "original" in time.dataset) {
      time.textContent = time.dataset.original;
      delete time.dataset.original;
    }
    block.classList.remove("moving", "dragging", "saving");
    block.classList.add("returning");
    block.style.transform = "";
    setTimeout(() => block.classList.remove("returning"), 300);
    if (pending === move) pending = null;
    if (announce) say(announce);
  }

  function describe(move) {
    const title = days[move.dayIndex].parentElement.querySelector(".day-title");
    return `${root.dataset.msgTarget} ${title ? title.textContent.trim() : ""} ${label(move.minute)}`;
  }

  function submit(move) {
    const block = move.block;
    if (move.dayIndex === move.origin.dayIndex && move.minute === move.origin.minute) {
      restore(move, root.dataset.msgCancel);
      return;
    }
    const token = block.querySelector("input[name=csrfmiddlewaretoken]");
    const body = new FormData();
    body.append("csrfmiddlewaretoken", token ? token.value : "");
    const minute = move.minute;
    body.append("start", `${days[move.dayIndex].dataset.date}T${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`);
    block.classList.add("saving");
    say(root.dataset.msgSaving);
    fetch(block.dataset.moveUrl, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": token ? token.value : "" },
    })
      .then(async (response) => {
        const answer = await response.json().catch(() => null);
        if (response.ok && answer && answer.ok) {
          window.location.assign(answer.url);
          return;
        }
        const reasons = answer && answer.reasons && answer.reasons.length ? answer.reasons : [root.dataset.msgError];
        restore(move, `${root.dataset.msgRefused} ${reasons.join(" ")}`);
        showProblems(reasons);
        block.dataset.refused = "1";
      })
      .catch(() => {
        restore(move, root.dataset.msgError);
        showProblems([root.dataset.msgError]);
      });
  }

  function begin(block) {
    if (pending && pending.block !== block) restore(pending);
    if (!pending) {
      const origin = originOf(block);
      pending = { block, origin, dayIndex: origin.dayIndex, minute: origin.minute };
      hideProblems();
      delete block.dataset.refused;
    }
    return pending;
  }

  for (const block of root.querySelectorAll(".block[data-move-url]")) {
    const grip = block.querySelector(".grip");

    if (grip) {
      grip.addEventListener("keydown", (event) => {
        const keys = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"];
        if (keys.includes(event.key)) {
          event.preventDefault();
          const move = begin(block);
          if (event.key === "ArrowUp") move.minute = clamp(Math.ceil(move.minute / grid) * grid - grid, block);
          if (event.key === "ArrowDown") move.minute = clamp(Math.floor(move.minute / grid) * grid + grid, block);
          if (event.key === "ArrowLeft") move.dayIndex = Math.max(0, move.dayIndex - 1);
          if (event.key === "ArrowRight") move.dayIndex = Math.min(days.length - 1, move.dayIndex + 1);
          preview(move);
          say(describe(move));
        } else if (event.key === "Enter" && pending && pending.block === block) {
          event.preventDefault();
          submit(pending);
        } else if (event.key === "Escape" && pending && pending.block === block) {
          event.preventDefault();
          restore(pending, root.dataset.msgCancel);
        }
      });
      grip.addEventListener("blur", () => {
        if (pending && pending.block === block && !block.classList.contains("saving")) {
          restore(pending, root.dataset.msgCancel);
        }
      });
    }

    // Dragging, on the wide timetable only: on a phone it is a list and the page scrolls.
    let drag = null;
    block.addEventListener("pointerdown", (event) => {
      if (drag && drag.done) drag = null;
      if (event.button !== 0 || !isGrid() || block.classList.contains("saving")) return;
      if (event.target.closest(".block-details")) return; // the forms inside stay usable
      drag = { x: event.clientX, y: event.clientY, id: event.pointerId, moved: false };
    });
    block.addEventListener("pointermove", (event) => {
      if (!drag || drag.done || event.pointerId !== drag.id) return;
      if (!drag.moved) {
        if (Math.hypot(event.clientX - drag.x, event.clientY - drag.y) < 6) return;
        drag.moved = true;
        block.setPointerCapture(drag.id);
        block.classList.add("dragging");
        begin(block);
      }
      const move = pending;
      let index = days.findIndex((d) => {
        const r = d.getBoundingClientRect();
        return event.clientX >= r.left && event.clientX <= r.right;
      });
      if (index < 0) index = move.dayIndex;
      const height = days[move.origin.dayIndex].getBoundingClientRect().height;
      const wanted = move.origin.minute + ((event.clientY - drag.y) / height) * span;
      move.dayIndex = index;
      move.minute = clamp(Math.round(wanted / grid) * grid, block);
      preview(move);
    });
    const end = (event) => {
      if (!drag || drag.done || event.pointerId !== drag.id) return;
      const moved = drag.moved;
      drag = null;
      block.classList.remove("dragging");
      if (!moved || !pending) return;
      if (event.type === "pointercancel") {
        restore(pending, root.dataset.msgCancel);
        return;
      }
      drag = { done: Date.now() };
      submit(pending);
    };
    // The click that ends a drag must not open the block's details.
    block.addEventListener(
      "click",
      (event) => {
        if (drag && drag.done && Date.now() - drag.done < 400) {
          event.preventDefault();
          event.stopPropagation();
        }
      },
      { capture: true },
    );
    block.addEventListener("pointerup", end);
    block.addEventListener("pointercancel", end);
  }
})();
