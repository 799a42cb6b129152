/**
 * The page `rtsp-rx serve` shows: a panel per camera with its live picture (MJPEG), state,
 * frames a second, age of the newest frame, reconnects and last error, and its recent changes
 * of state. Everything comes from `/events` (Server-Sent Events); panels come and go with the
 * config file.
 */
export const DASHBOARD_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>rtsp-rx serve</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; background: #111418; color: #e8eaed; }
  body > header { padding: 10px 20px; border-bottom: 1px solid #2a2f36; display: flex; gap: 12px; align-items: baseline; }
  h1 { font-size: 18px; margin: 0; }
  #link { color: #9aa0a6; }
  main { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 16px; padding: 14px 20px; }
  .camera { background: #1b1f24; border-radius: 6px; padding: 10px 12px 12px; }
  .camera > header { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
  h2 { font-size: 16px; margin: 0; }
  .address { color: #9aa0a6; font-size: 12px; }
  .state { display: inline-block; padding: 1px 9px; border-radius: 10px; font-weight: 600; }
  .state.connected { background: #1e4620; color: #8ee59a; }
  .state.connecting, .state.reconnecting { background: #4a3b12; color: #f5cf6b; }
  .state.failed, .state.closed { background: #4d1c1c; color: #f59a9a; }
  .screen { aspect-ratio: 16 / 9; background: #000; border-radius: 4px; overflow: hidden; margin: 8px 0; }
  .picture { width: 100%; height: 100%; object-fit: contain; display: block; }
  dl { display: grid; grid-template-columns: auto 1fr auto 1fr; gap: 2px 12px; margin: 0; }
  dt { color: #9aa0a6; }
  dd { margin: 0; font-variant-numeric: tabular-nums; }
  .error { color: #f59a9a; font-size: 12px; min-height: 1.4em; margin: 6px 0 0; overflow-wrap: anywhere; }
  .history { list-style: none; margin: 6px 0 0; padding: 0; font: 12px/1.5 ui-monospace, monospace; color: #c9ccd1; }
  .history time { color: #9aa0a6; margin-right: 8px; }
</style>
</head>
<body>
<header><h1>rtsp-rx</h1><span id="link">connecting to the server…</span></header>
<main id="cameras"></main>
<template id="camera">
  <section class="camera">
    <header><h2 class="name"></h2><span class="state"></span><span class="address"></span></header>
    <div class="screen"><img class="picture" alt=""></div>
    <dl>
      <dt>fps</dt><dd class="fps"></dd><dt>frames</dt><dd class="frames"></dd>
      <dt>age</dt><dd class="age"></dd><dt>reconnects</dt><dd class="reconnects"></dd>
    </dl>
    <p class="error"></p>
    <ul class="history"></ul>
  </section>
</template>
<script>
  const panels = new Map();
  const clock = (at) => new Date(at).toLocaleTimeString([], { hour12: false });
  const seconds = (ms) => (ms / 1000).toFixed(1) + ' s';

  function panelOf(camera) {
    let panel = panels.get(camera.name);
    if (panel !== undefined) return panel;
    const root = document.getElementById('camera').content.firstElementChild.cloneNode(true);
    root.dataset.camera = camera.name;
    root.querySelector('.name').textContent = camera.name;
    root.querySelector('.address').textContent = camera.address;
    root.querySelector('.picture').src = '/cameras/' + encodeURIComponent(camera.name) + '/live.mjpeg';
    root.querySelector('.picture').alt = camera.name;
    document.getElementById('cameras').append(root);
    panel = { root, status: undefined, part: (selector) => root.querySelector(selector) };
    panels.set(camera.name, panel);
    return panel;
  }

  function show(update) {
    for (const [name, panel] of panels) {
      if (!update.cameras.some((camera) => camera.name === name)) {
        panel.root.remove();
        panels.delete(name);
      }
    }
    for (const camera of update.cameras) {
      const panel = panelOf(camera);
      const state = panel.part('.state');
      state.textContent = camera.state.status + ' ' + seconds(update.at - camera.stateSince);
      state.className = 'state ' + camera.state.status;
      panel.part('.fps').textContent = camera.fps;
      panel.part('.frames').textContent = camera.frames;
      panel.part('.age').textContent = camera.lastFrameAt === null ? '-' : Math.max(0, update.at - camera.lastFrameAt) + ' ms';
      panel.part('.reconnects').textContent = camera.reconnects;
      panel.part('.error').textContent = camera.lastError ?? '';
      if (camera.state.status !== panel.status) {
        panel.status = camera.state.status;
        const item = document.createElement('li');
        const time = document.createElement('time');
        time.textContent = clock(camera.stateSince);
        item.append(time, camera.state.status + (camera.state.cause ? ' ' + camera.state.cause.code : ''));
        const history = panel.part('.history');
        history.prepend(item);
        while (history.children.length > 6) history.lastElementChild.remove();
      }
    }
  }

  const events = new EventSource('/events');
  events.addEventListener('cameras', (event) => {
    document.getElementById('link').textContent = 'live';
    show(JSON.parse(event.data));
  });
  events.onerror = () => (document.getElementById('link').textContent = 'the server is gone; retrying…');
</script>
</body>
</html>
`;
