// Follows a running solve: polls its job in the API, shows objective, gap and elapsed time,
// and reloads the page when the job ends. Without JavaScript the page still works (reload).
(function () {
  const box = document.getElementById("progress");
  if (!box) return;
  const bar = document.getElementById("progress-bar");
  const text = document.getElementById("progress-text");
  async function poll() {
    try {
      const response = await fetch(box.dataset.jobUrl, { credentials: "same-origin" });
      if (!response.ok) throw new Error(response.status);
      const job = await response.json();
      const p = job.progress || {};
      if (typeof p.gap === "number") bar.value = Math.max(0, Math.min(100, 100 - p.gap * 100));
      const parts = [job.state];
      if (p.elapsed_s !== undefined) parts.push(p.elapsed_s.toFixed(1) + " s");
      if (p.solutions) parts.push("#" + p.solutions);
      if (typeof p.gap === "number") parts.push("gap " + (p.gap * 100).toFixed(1) + " %");
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
