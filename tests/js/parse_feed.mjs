// Parse an iCalendar feed from stdin with Mozilla's ical.js (Thunderbird's parser) and print
// what a client would see as JSON; exit 1 with the parser's message when it cannot read it.
import ICAL from "ical.js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const text = Buffer.concat(chunks).toString("utf8");

try {
  const root = new ICAL.Component(ICAL.parse(text));
  for (const tz of root.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(tz);
  }
  const prop = (comp, name) => comp.getFirstPropertyValue(name);
  const events = root.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    const start = event.startDate;
    const geo = prop(vevent, "geo");
    return {
      uid: event.uid,
      summary: event.summary,
      summary_language: vevent.getFirstProperty("summary")?.getParameter("language") ?? null,
      description: event.description,
      location: event.location,
      status: prop(vevent, "status"),
      sequence: event.sequence,
      tzid: start.zone ? start.zone.tzid : null,
      start_utc: start.toJSDate().toISOString(),
      end_utc: event.endDate.toJSDate().toISOString(),
      start_local: start.toString(),
      geo: geo ?? null,
      transp: prop(vevent, "transp"),
      url: prop(vevent, "url"),
      categories: vevent.getFirstProperty("categories")?.getValues() ?? [],
      apple_location: (() => {
        const p = vevent.getFirstProperty("x-apple-structured-location");
        return p
          ? { value: p.getFirstValue(), title: p.getParameter("x-title"), address: p.getParameter("x-address") }
          : null;
      })(),
    };
  });
  console.log(
    JSON.stringify({
      name: prop(root, "name"),
      calname: prop(root, "x-wr-calname"),
      refresh: String(prop(root, "refresh-interval")),
      timezones: root.getAllSubcomponents("vtimezone").map((tz) => prop(tz, "tzid")),
      events,
    }),
  );
} catch (error) {
  console.error(`ical.js: ${error.message}`);
  process.exit(1);
}
