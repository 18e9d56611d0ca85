// Follows a running solve: polls its job in the API, shows objective, gap and elapsed time,
// and reloads the page when the job ends. Without JavaScript the page still works (reload).
(function () {
  const box = document.getElementById("progress");
  if (!box) return;
  const bar = document.getElementById("progress-bar");
  const text = document.getElementById("progress-text");
  const one = new Intl.NumberFormat(document.documentElement.lang || undefined, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  async function poll() {
    try {
      const response = await fetch(box.dataset.jobUrl, { credentials: "same-origin" });
      if (!response.ok) throw new Error(response.status);
      const job = await response.json();
      const p = job.progress || {};
      if (typeof p.gap === "number") bar.value = Math.max(0, Math.min(100, 100 - p.gap * 100));
      // In the page's language: the state's and the gap's words come from the template,
      // the numbers from the browser's formatting for that language (French "12,5").
      const parts = [box.dataset["state" + job.state.charAt(0).toUpperCase() + job.state.slice(1)] || job.state];
      if (p.elapsed_s !== undefined) parts.push(one.format(p.elapsed_s) + "\u00a0s");
      if (p.solutions) parts.push("#" + p.solutions);
      if (typeof p.gap === "number") parts.push(box.dataset.gapLabel + " " + one.format(p.gap * 100) + "\u00a0%");
      text.textContent = parts.join(" · ");
      if (job.state !== "queued" && job.state !== "running") {
        window.location.reload();
        return;
      }
    } catch (error) {
      text.textContent = String(error);
    }
    setTimeout(poll, 1000);
  }
  poll();
})();
