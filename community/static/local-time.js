// Shows an event's start in the reader's own time zone, next to the event's zone.
document.querySelectorAll("time[data-local-time]").forEach((element) => {
  const moment = new Date(element.getAttribute("datetime"));
  const formatted = new Intl.DateTimeFormat(undefined, {
    weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
    timeZoneName: "short",
  }).format(moment);
  element.textContent = `Your time: ${formatted}`;
});
