import { element } from '/js/dom.js';
import { currentAccessToken } from '/js/session.js';
import { formatDuration, formatRate, niceCeiling, polylinePoints, ratesOf } from './traffic-chart.js';

/**
 * The admin screen: polls /admin/api/overview every 2 seconds and draws it; the buttons post the
 * actions. Every name is inserted as text (the page's CSP enforces Trusted Types). When the chat page of
 * this origin is signed in, its access token goes with every call, so the server knows which
 * administrator asks.
 */

const pollMs = 2000;
const armedMs = 4000;
const chartWidth = 600;
const chartHeight = 120;
const svgNs = 'http://www.w3.org/2000/svg';

const $ = id => document.getElementById(id);

/** The headers of an API call: JSON, and the chat page's access token when it has one. */
function headers() {
  const token = currentAccessToken();
  return token === null ? { Accept: 'application/json' } : { Accept: 'application/json', Authorization: `Bearer ${token}` };
}

function row(cells) {
  const tr = element('tr');
  for (const cell of cells) {
    tr.append(cell instanceof Node ? wrapCell(cell) : element('td', '', String(cell ?? '')));
  }

  return tr;
}

function wrapCell(node) {
  const td = element('td');
  td.append(node);
  return td;
}

function time(iso) {
  return new Date(iso).toLocaleTimeString();
}

function drawChart(figure, counts, bucketSeconds) {
  const rates = ratesOf(counts, bucketSeconds);
  const top = niceCeiling(Math.max(...rates, 0));
  let svg = figure.querySelector('svg');
  if (!svg) {
    svg = document.createElementNS(svgNs, 'svg');
    svg.setAttribute('viewBox', `0 0 ${chartWidth} ${chartHeight}`);
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('role', 'img');
    svg.append(document.createElementNS(svgNs, 'polyline'));
    const axis = element('div', 'axis');
    axis.append(element('span', '', '15 min ago'), element('span', '', ''), element('span', '', 'now'));
    figure.append(svg, axis);
  }

  svg.querySelector('polyline').setAttribute('points', polylinePoints(rates, chartWidth, chartHeight, top));
  const last = rates.slice(-12);
  const recent = last.reduce((sum, rate) => sum + rate, 0) / Math.max(1, last.length);
  svg.setAttribute('aria-label', `${figure.querySelector('figcaption').firstChild.textContent.trim()}: about ${formatRate(recent)} over the last minute, scale up to ${formatRate(top)}`);
  figure.querySelector('.axis span:nth-child(2)').textContent = `max ${formatRate(top)}/s`;
  figure.querySelector('[data-role="now"]').textContent = `(${formatRate(recent)}/s)`;
}

function renderNodes(overview) {
  const body = $('nodes').tBodies[0];
  const now = Date.parse(overview.at);
  body.replaceChildren(...overview.nodes.map(node => {
    const health = element('span', `status-${node.health}`, node.health);
    const name = node.id === overview.node ? `${node.id} (this node)` : node.id;
    return row([name, node.connections, health, formatRate(node.messagesPerSecond), formatDuration((now - Date.parse(node.startedAt)) / 1000)]);
  }));
}

function renderHealth(overview) {
  const items = [element('li', '', '')];
  items[0].append('Overall: ', element('span', `status-${overview.health.status}`, overview.health.status));
  for (const check of overview.health.checks) {
    const item = element('li');
    item.append(`${check.name}: `, element('span', `status-${check.status}`, check.status), check.description ? ` (${check.description})` : '');
    items.push(item);
  }

  $('health').replaceChildren(...items);
  const reasons = Object.entries(overview.rejections);
  $('rejections').replaceChildren(...(reasons.length === 0
    ? [element('li', '', 'None since this node started.')]
    : reasons.map(([reason, count]) => element('li', '', `${reason}: ${count}`))));
}

/** A button that acts on its second press within a few seconds, so one slip closes nothing. */
function armedButton(label, armedLabel, className, action) {
  const button = element('button', className, label);
  button.type = 'button';
  let timer = 0;
  button.addEventListener('click', async () => {
    if (!button.dataset.armed) {
      button.dataset.armed = 'true';
      button.textContent = armedLabel;
      timer = setTimeout(() => {
        delete button.dataset.armed;
        button.textContent = label;
      }, armedMs);
      return;
    }

    clearTimeout(timer);
    delete button.dataset.armed;
    button.textContent = label;
    await action();
  });
  return button;
}

function renderRooms(overview) {
  const list = $('rooms');
  if (overview.rooms.length === 0) {
    list.replaceChildren(element('li', 'hint', 'No rooms right now.'));
    return;
  }

  // Redrawn only when rooms or members change, so a button armed for a second press stays armed.
  const signature = JSON.stringify(overview.rooms);
  if (list.dataset.signature === signature) {
    return;
  }

  list.dataset.signature = signature;
  list.replaceChildren(...overview.rooms.map(room => {
    const item = element('li', 'room');
    item.dataset.room = room.name;
    const head = element('div', 'room-head');
    head.append(
      element('span', 'room-name', `#${room.name} · ${room.userCount} ${room.userCount === 1 ? 'member' : 'members'}`),
      armedButton('Close room', `Press again to close #${room.name}`, 'danger small', () => act(`rooms/${encodeURIComponent(room.name)}/close`, `#${room.name}`)));
    const members = element('ul', 'members');
    members.setAttribute('aria-label', `Members of #${room.name}`);
    for (const nickname of room.users) {
      const member = element('li', 'member', nickname);
      member.append(armedButton('Disconnect', 'Sure?', 'small', () => act(`users/${encodeURIComponent(nickname)}/disconnect`, nickname)));
      members.append(member);
    }

    item.append(head, members);
    return item;
  }));
}

function renderRecent(overview) {
  $('recent').tBodies[0].replaceChildren(...overview.recent.map(entry =>
    row([time(entry.at), entry.kind, entry.nickname ?? '', entry.connectionId, overview.node, entry.detail ?? ''])));
}

function render(overview) {
  $('node-id').textContent = overview.node;
  $('updated').textContent = `updated ${time(overview.at)}`;
  drawChart($('chart-received'), overview.traffic.received, overview.traffic.bucketSeconds);
  drawChart($('chart-delivered'), overview.traffic.delivered, overview.traffic.bucketSeconds);
  renderNodes(overview);
  renderHealth(overview);
  renderRooms(overview);
  renderRecent(overview);
}

function say(text, kind = 'info') {
  const status = $('action-status');
  status.dataset.kind = kind;
  status.textContent = text;
}

async function act(path, target) {
  try {
    const response = await fetch(`/admin/api/${path}`, { method: 'POST', headers: headers() });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      say(answer.error ?? `Could not act on ${target} (HTTP ${response.status}).`, 'error');
      return;
    }

    const elsewhere = answer.otherNodesTold === null ? '' : answer.otherNodesTold ? '; the other nodes were told' : '; the other nodes could not be told (Redis is unreachable)';
    say(`Done: ${target}, ${answer.connectionsHere} connections on this node${elsewhere}.`);
    await refresh();
  } catch (error) {
    say(`Could not act on ${target}: ${error.message}`, 'error');
  }
}

async function refresh() {
  try {
    const response = await fetch('/admin/api/overview', { headers: headers(), cache: 'no-store' });
    if (!response.ok) {
      // With named administrators the API wants one of them signed in, which happens on the chat page.
      throw new Error(currentAccessToken() === null
        ? `HTTP ${response.status}; sign in as an administrator on the chat page (/) in this tab, or with "Stay signed in", then reload`
        : `HTTP ${response.status}`);
    }

    render(await response.json());
  } catch (error) {
    $('updated').textContent = `not updated: ${error.message}`;
  }
}

$('disconnect-form').addEventListener('submit', async event => {
  event.preventDefault();
  const input = $('disconnect-name');
  const nickname = input.value.trim();
  if (nickname) {
    await act(`users/${encodeURIComponent(nickname)}/disconnect`, nickname);
    input.value = '';
  }
});

await refresh();
setInterval(refresh, pollMs);
