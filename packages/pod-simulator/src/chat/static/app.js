// The simulator's web chat: pick a user, see their IMs and rooms, read and send messages, submit
// Symphony Elements forms, live through server-sent events. Plain DOM, no framework, no build step.
// Every piece of server data reaches the page as text (textContent) or through renderPresentationML.

import { collectFormValues, lockForm, reportFormValidity, resetForm } from './form-values.js';
import { renderPresentationML } from './render-presentationml.js';

const state = {
  users: [],
  me: null,
  streams: [],
  currentStreamId: null,
  /** streamId → messages in order */
  messages: new Map(),
  unread: new Map(),
  live: null,
  mention: { open: false, items: [], index: 0, start: 0 },
  /** Files picked in the composer, sent with the next message. */
  files: [],
};

/** Symphony's limit on the attachments of one message. */
const MAX_FILES_BYTES = 30 * 1024 * 1024;

const $ = (id) => document.getElementById(id);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

async function api(path, init) {
  const response = await fetch(path, {
    ...init,
    // A FormData body (files) sets its own multipart content type.
    headers:
      init?.body && !(init.body instanceof FormData) ? { 'content-type': 'application/json' } : undefined,
  });
  const body = await response.text();
  const parsed = body ? JSON.parse(body) : null;
  if (!response.ok) throw new Error(parsed?.message ?? `${response.status} ${response.statusText}`);
  return parsed;
}

function showError(error) {
  const toast = $('toast');
  toast.textContent = error instanceof Error ? error.message : String(error);
  toast.hidden = false;
  clearTimeout(showError.timer);
  showError.timer = setTimeout(() => {
    toast.hidden = true;
  }, 5000);
}

// ---- users ------------------------------------------------------------------------------------------

const asList = (value, key) => (Array.isArray(value) ? value : Array.isArray(value?.[key]) ? value[key] : []);
const userById = (id) => state.users.find((u) => String(u.userId) === String(id));
const displayName = (user) => user?.displayName || user?.username || `user ${user?.userId ?? '?'}`;

function initials(name) {
  const parts = name
    .replace(/[^\p{L}\p{N} ]/gu, '')
    .trim()
    .split(/\s+/);
  return ((parts[0]?.[0] ?? '?') + (parts[1]?.[0] ?? '')).toUpperCase();
}

function avatar(user, fallbackName) {
  const name = user ? displayName(user) : fallbackName;
  const node = el('span', 'avatar', initials(name ?? '?'));
  const hue =
    (Number(
      String(user?.userId ?? name)
        .slice(-6)
        .replace(/\D/g, ''),
    ) *
      47) %
    360;
  node.style.setProperty('--hue', String(Number.isFinite(hue) ? hue : 200));
  if (user?.bot) node.classList.add('bot');
  return node;
}

function renderUserPicker() {
  const list = $('user-list');
  list.replaceChildren();
  for (const user of state.users) {
    const button = el('button', 'user-card');
    button.type = 'button';
    button.dataset.userId = String(user.userId);
    const text = el('span', 'user-card-text');
    text.append(el('strong', '', displayName(user)), el('small', '', `@${user.username}`));
    button.append(avatar(user), text);
    if (user.bot) button.append(el('span', 'badge', 'BOT'));
    button.addEventListener('click', () => selectUser(user.userId));
    list.append(button);
  }
  const select = $('me');
  select.replaceChildren(el('option', '', 'Choose who you are…'));
  select.firstChild.value = '';
  for (const user of state.users) {
    const option = el('option', '', `${displayName(user)}${user.bot ? ' (bot)' : ''}`);
    option.value = String(user.userId);
    select.append(option);
  }
  select.value = state.me ? String(state.me.userId) : '';
}

// ---- streams ----------------------------------------------------------------------------------------

function memberIds(stream) {
  const members = stream.members ?? stream.memberIds ?? [];
  return members.map((m) => (typeof m === 'object' && m !== null ? m.userId : m));
}

function streamTitle(stream) {
  if (stream.type === 'ROOM' || stream.streamType === 'ROOM') return stream.name || 'Untitled room';
  const others = memberIds(stream).filter((id) => String(id) !== String(state.me?.userId));
  const names = others.map((id) => displayName(userById(id)));
  return names.join(', ') || 'Note to self';
}

const isRoom = (stream) => (stream.type ?? stream.streamType) === 'ROOM';

function renderStreamList() {
  const list = $('stream-list');
  list.replaceChildren();
  const groups = [
    ['Rooms', state.streams.filter(isRoom)],
    ['Direct messages', state.streams.filter((s) => !isRoom(s))],
  ];
  for (const [title, streams] of groups) {
    if (!streams.length) continue;
    list.append(el('h3', 'stream-group', title));
    for (const stream of streams) {
      const button = el('button', 'stream');
      button.type = 'button';
      button.dataset.streamId = stream.streamId;
      if (stream.streamId === state.currentStreamId) button.classList.add('active');
      button.append(
        el('span', 'stream-icon', isRoom(stream) ? '#' : '@'),
        el('span', 'stream-name', streamTitle(stream)),
      );
      const unread = state.unread.get(stream.streamId) ?? 0;
      if (unread) button.append(el('span', 'unread', String(unread)));
      button.addEventListener('click', () => openStream(stream.streamId));
      list.append(button);
    }
  }
  if (!state.streams.length) list.append(el('p', 'empty', 'No conversations yet.'));
}

async function loadStreams() {
  const result = await api(`/_sim/streams?memberId=${encodeURIComponent(state.me.userId)}`);
  state.streams = asList(result, 'streams');
  renderStreamList();
}

// ---- messages ---------------------------------------------------------------------------------------

function formatTime(timestamp) {
  const date = new Date(Number(timestamp));
  return Number.isNaN(date.getTime())
    ? ''
    : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function messageNode(message) {
  const sender = message.sender ?? message.user ?? {};
  const user = userById(sender.userId) ?? sender;
  const item = el('li', 'message');
  item.dataset.messageId = message.messageId;
  if (String(sender.userId) === String(state.me?.userId)) item.classList.add('mine');
  const head = el('div', 'message-head');
  head.append(el('span', 'sender', displayName(user)));
  if (user.bot || sender.bot) head.append(el('span', 'badge', 'BOT'));
  head.append(el('time', 'time', formatTime(message.initialTimestamp ?? message.timestamp)));
  // A version made by message update replaces the one before it, in place (Symphony shows it as edited).
  if (message.replacing) head.append(el('span', 'edited', 'edited'));
  const body = el('div', 'message-body');
  const data = typeof message.data === 'string' ? safeJson(message.data) : message.data;
  body.append(renderPresentationML(message.presentationML ?? message.message ?? '', data));
  wireCards(body);
  wireForms(body, message);
  const content = el('div', 'message-content');
  content.append(head, body);
  if (message.attachments?.length) content.append(attachmentList(message));
  item.append(avatar(user, sender.displayName), content);
  return item;
}

function formatSize(bytes) {
  const n = Number(bytes);
  if (!Number.isFinite(n)) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** A message's files as download links (served by the simulator from what it stored). */
function attachmentList(message) {
  const list = el('ul', 'message-files');
  const streamId = message.streamId ?? state.currentStreamId;
  for (const file of message.attachments) {
    const item = el('li', 'message-file');
    const link = el('a', 'file-link', file.name);
    link.href = `/_sim/streams/${encodeURIComponent(streamId)}/messages/${encodeURIComponent(message.messageId)}/attachments/${encodeURIComponent(file.id)}`;
    link.download = file.name;
    const ext = /\.([A-Za-z0-9]{1,5})$/.exec(file.name)?.[1] ?? 'file';
    item.append(
      el('span', 'file-icon', ext.toUpperCase()),
      link,
      el('span', 'file-size', formatSize(file.size)),
    );
    list.append(item);
  }
  return list;
}

function renderPickedFiles() {
  const list = $('composer-files-list');
  list.replaceChildren(
    ...state.files.map((file, index) => {
      const chip = el('li', 'picked-file');
      const remove = el('button', 'remove-file', '×');
      remove.type = 'button';
      remove.title = `Remove ${file.name}`;
      remove.addEventListener('click', () => {
        state.files.splice(index, 1);
        renderPickedFiles();
      });
      chip.append(
        el('span', 'picked-name', file.name),
        el('span', 'picked-size', formatSize(file.size)),
        remove,
      );
      return chip;
    }),
  );
  list.hidden = state.files.length === 0;
}

function pickFiles(event) {
  state.files.push(...event.target.files);
  event.target.value = '';
  renderPickedFiles();
  $('composer-input').focus();
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

function wireCards(body) {
  for (const header of body.querySelectorAll('.pml-card > .pml-cardHeader')) {
    header.tabIndex = 0;
    header.setAttribute('role', 'button');
    const toggle = () => header.parentElement.classList.toggle('open');
    header.addEventListener('click', toggle);
    header.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        toggle();
      }
    });
  }
}

function wireForms(body, message) {
  for (const form of body.querySelectorAll('form.elements-form')) {
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!reportFormValidity(form)) return;
      const streamId = message.streamId ?? state.currentStreamId;
      const actionName = event.submitter?.dataset.actionName ?? '';
      const formValues = collectFormValues(form, actionName);
      try {
        await api(`/_sim/streams/${encodeURIComponent(streamId)}/forms`, {
          method: 'POST',
          body: JSON.stringify({
            fromUserId: state.me.userId,
            formMessageId: message.messageId,
            formId: form.dataset.formId,
            formValues,
          }),
        });
        const mode = form.dataset.multiSubmit;
        if (mode === 'reset') resetForm(form);
        if (!mode) lockForm(form, `Submitted by ${displayName(state.me)}`);
        else flash(form, 'Submitted');
      } catch (error) {
        showError(error);
      }
    });
  }
}

function flash(form, text) {
  const note = el('div', 'form-status', text);
  form.append(note);
  setTimeout(() => note.remove(), 2000);
}

function renderMessages() {
  const list = $('messages');
  const messages = state.messages.get(state.currentStreamId) ?? [];
  list.replaceChildren(...messages.map(messageNode));
  if (!messages.length) list.append(el('li', 'empty', 'No messages yet. Say hello!'));
  list.scrollTop = list.scrollHeight;
}

/** Swaps the version `message` replaces (if this page holds it) for `message`, in place. */
function replaceMessage(streamId, messages, message) {
  const index = messages.findIndex((m) => m.messageId === message.replacing);
  if (index === -1) return false;
  const previous = messages[index];
  messages[index] = message;
  previous.replacedBy = message.messageId;
  if (streamId === state.currentStreamId) {
    const node = $('messages').querySelector(
      `:scope > .message[data-message-id="${CSS.escape(previous.messageId)}"]`,
    );
    node?.replaceWith(messageNode(messages[index]));
  }
  return true;
}

/**
 * The versions to show: an updated message appears once, as its latest version, where its first version was
 * (every version is stored; a replaced one carries `replacedBy`).
 */
function latestVersions(messages) {
  const replaced = new Set(messages.map((m) => m.replacing).filter(Boolean));
  return messages
    .filter((m) => !m.replacedBy && !replaced.has(m.messageId))
    .sort((a, b) => Number(a.initialTimestamp ?? a.timestamp) - Number(b.initialTimestamp ?? b.timestamp));
}

function appendMessage(streamId, message) {
  const messages = state.messages.get(streamId);
  if (!messages) return false;
  if (messages.some((m) => m.messageId === message.messageId)) return false;
  // An update is no new message: not appended, not unread.
  if (message.replacing && replaceMessage(streamId, messages, message)) return false;
  messages.push(message);
  if (streamId === state.currentStreamId) {
    const list = $('messages');
    list.querySelector(':scope > .empty')?.remove();
    const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 120;
    list.append(messageNode(message));
    if (nearBottom || String(message.sender?.userId) === String(state.me?.userId))
      list.scrollTop = list.scrollHeight;
  }
  return true;
}

async function loadMessages(streamId) {
  // Live messages that arrive while the list is being fetched land in this entry, and are kept: the
  // fetched list may have been read before they were posted.
  if (!state.messages.has(streamId)) state.messages.set(streamId, []);
  const result = await api(`/_sim/streams/${encodeURIComponent(streamId)}/messages`);
  const fetched = asList(result, 'messages');
  const seen = new Set(fetched.map((m) => m.messageId));
  const live = (state.messages.get(streamId) ?? []).filter((m) => !seen.has(m.messageId));
  const merged = latestVersions([...fetched, ...live]);
  state.messages.set(streamId, merged);
  if (streamId === state.currentStreamId) renderMessages();
}

async function openStream(streamId) {
  state.currentStreamId = streamId;
  state.unread.delete(streamId);
  const stream = state.streams.find((s) => s.streamId === streamId);
  $('conversation').hidden = false;
  $('placeholder').hidden = true;
  $('stream-title').textContent = stream ? streamTitle(stream) : streamId;
  $('stream-members').textContent = stream
    ? memberIds(stream)
        .map((id) => displayName(userById(id)))
        .join(' · ')
    : '';
  renderStreamList();
  updateHash();
  $('composer-input').focus();
  try {
    await loadMessages(streamId);
  } catch (error) {
    showError(error);
  }
}

// ---- sending, with @mention suggestions -------------------------------------------------------------

async function send() {
  const input = $('composer-input');
  const text = input.value.trim();
  const files = state.files;
  if ((!text && !files.length) || !state.currentStreamId) return;
  if (files.reduce((sum, f) => sum + f.size, 0) > MAX_FILES_BYTES) {
    return showError('Attachments exceed the maximum total size of 30 MB');
  }
  const streamId = state.currentStreamId;
  input.value = '';
  state.files = [];
  renderPickedFiles();
  closeMentions();
  let body = JSON.stringify({ fromUserId: state.me.userId, text });
  if (files.length) {
    body = new FormData();
    body.append('fromUserId', String(state.me.userId));
    body.append('text', text);
    for (const file of files) body.append('attachment', file, file.name);
  }
  try {
    const sent = await api(`/_sim/streams/${encodeURIComponent(streamId)}/messages`, {
      method: 'POST',
      body,
    });
    const message = sent?.message ?? (sent?.presentationML ? sent : null);
    if (message) appendMessage(streamId, message);
    else if (!state.live || state.live.readyState !== EventSource.OPEN) await loadMessages(streamId);
  } catch (error) {
    input.value = text;
    state.files = files;
    renderPickedFiles();
    showError(error);
  }
}

function mentionCandidates(query) {
  const stream = state.streams.find((s) => s.streamId === state.currentStreamId);
  const members = new Set((stream ? memberIds(stream) : []).map(String));
  const q = query.toLowerCase();
  // Best first: username prefix, then a word of the display name, then anywhere; members before others.
  const score = (user) => {
    const name = displayName(user).toLowerCase();
    const rank = user.username.toLowerCase().startsWith(q)
      ? 0
      : name.split(/\s+/).some((w) => w.startsWith(q))
        ? 1
        : 2;
    return rank * 2 + (members.has(String(user.userId)) ? 0 : 1);
  };
  return state.users
    .filter((u) => String(u.userId) !== String(state.me?.userId))
    .filter((u) => u.username.toLowerCase().includes(q) || displayName(u).toLowerCase().includes(q))
    .sort((a, b) => score(a) - score(b))
    .slice(0, 6);
}

function updateMentions() {
  const input = $('composer-input');
  const before = input.value.slice(0, input.selectionStart);
  const match = /(^|\s)@([\w.-]*)$/.exec(before);
  if (!match) return closeMentions();
  const items = mentionCandidates(match[2]);
  if (!items.length) return closeMentions();
  state.mention = { open: true, items, index: 0, start: before.length - match[2].length - 1 };
  renderMentions();
}

function renderMentions() {
  const box = $('mentions');
  box.replaceChildren();
  state.mention.items.forEach((user, index) => {
    const option = el('li', index === state.mention.index ? 'active' : '');
    option.append(avatar(user), el('span', '', displayName(user)), el('small', '', `@${user.username}`));
    option.addEventListener('mousedown', (event) => {
      event.preventDefault();
      pickMention(index);
    });
    box.append(option);
  });
  box.hidden = false;
}

function closeMentions() {
  state.mention.open = false;
  $('mentions').hidden = true;
}

function pickMention(index) {
  const user = state.mention.items[index];
  const input = $('composer-input');
  if (!user) return;
  const caret = input.selectionStart;
  const insert = `@${user.username} `;
  input.value = input.value.slice(0, state.mention.start) + insert + input.value.slice(caret);
  const position = state.mention.start + insert.length;
  input.setSelectionRange(position, position);
  closeMentions();
  input.focus();
}

function onComposerKey(event) {
  if (state.mention.open) {
    const count = state.mention.items.length;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      state.mention.index = (state.mention.index + (event.key === 'ArrowDown' ? 1 : count - 1)) % count;
      return renderMentions();
    }
    if (event.key === 'Tab' || event.key === 'Enter') {
      event.preventDefault();
      return pickMention(state.mention.index);
    }
    if (event.key === 'Escape') return closeMentions();
  }
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    send();
  }
}

// ---- new IM, new room ------------------------------------------------------------------------------

const otherUsers = () => state.users.filter((u) => String(u.userId) !== String(state.me?.userId));

function userOption(user) {
  const option = el('option', '', `${displayName(user)}${user.bot ? ' (bot)' : ''}`);
  option.value = String(user.userId);
  return option;
}

function openNewIm() {
  const select = $('new-im-user');
  select.replaceChildren(...otherUsers().map(userOption));
  $('new-im-dialog').showModal();
  select.focus();
}

function openNewRoom() {
  const box = $('new-room-members');
  box.replaceChildren(
    ...otherUsers().map((user) => {
      const label = el('label', 'member-option');
      const check = el('input');
      check.type = 'checkbox';
      check.value = String(user.userId);
      check.dataset.userId = String(user.userId);
      label.append(check, avatar(user), el('span', '', `${displayName(user)}${user.bot ? ' (bot)' : ''}`));
      return label;
    }),
  );
  $('new-room-name').value = '';
  $('new-room-dialog').showModal();
  $('new-room-name').focus();
}

/** Opens a stream the page may not list yet (just created): reloads the list first. */
async function openCreated(streamId) {
  await loadStreams();
  await openStream(streamId);
}

async function submitDialog(dialog, create) {
  const buttons = dialog.querySelectorAll('button');
  for (const button of buttons) button.disabled = true;
  try {
    const { streamId } = await create();
    dialog.close();
    await openCreated(streamId);
  } catch (error) {
    showError(error);
  } finally {
    for (const button of buttons) button.disabled = false;
  }
}

// As a Symphony client: an IM is created (INSTANTMESSAGECREATED to both members) or, if it exists, reopened.
function createIm(event) {
  event.preventDefault();
  const otherId = Number($('new-im-user').value);
  return submitDialog($('new-im-dialog'), () =>
    api('/_sim/streams', {
      method: 'POST',
      body: JSON.stringify({ type: 'IM', memberIds: [state.me.userId, otherId] }),
    }),
  );
}

// As a Symphony client: the room with its creator (ROOMCREATED), then each member added (USERJOINEDROOM).
function createRoom(event) {
  event.preventDefault();
  const name = $('new-room-name').value.trim();
  if (!name) return $('new-room-name').reportValidity();
  const memberIds = Array.from(
    $('new-room-members').querySelectorAll('input[type="checkbox"]:checked'),
    (box) => Number(box.value),
  );
  return submitDialog($('new-room-dialog'), () =>
    api('/_sim/rooms', {
      method: 'POST',
      body: JSON.stringify({ fromUserId: state.me.userId, name, memberIds }),
    }),
  );
}

function wireDialogs() {
  $('new-im-button').addEventListener('click', openNewIm);
  $('new-room-button').addEventListener('click', openNewRoom);
  $('new-im-form').addEventListener('submit', createIm);
  $('new-room-form').addEventListener('submit', createRoom);
  for (const button of document.querySelectorAll('dialog [data-close]')) {
    button.addEventListener('click', () => button.closest('dialog').close());
  }
}

// ---- live updates -----------------------------------------------------------------------------------

function setLiveStatus(status) {
  const node = $('live');
  node.dataset.status = status;
  node.textContent = { open: 'live', connecting: 'connecting…', closed: 'offline' }[status] ?? status;
}

function connectLive() {
  state.live?.close();
  if (!state.me) return;
  const source = new EventSource(`/_sim/live?userId=${encodeURIComponent(state.me.userId)}`);
  state.live = source;
  setLiveStatus('connecting');
  source.addEventListener('open', () => {
    setLiveStatus('open');
    // Catch up on anything sent while disconnected.
    if (state.currentStreamId) loadMessages(state.currentStreamId).catch(showError);
  });
  source.addEventListener('error', () =>
    setLiveStatus(source.readyState === EventSource.CLOSED ? 'closed' : 'connecting'),
  );
  source.addEventListener('message', (event) => onLiveEvent(safeJson(event.data)));
}

function onLiveEvent(payload) {
  const message = payload?.message;
  const streamId = payload?.streamId ?? message?.streamId;
  if (!message || !streamId) return;
  if (!state.streams.some((s) => s.streamId === streamId)) {
    loadStreams().catch(showError);
  }
  const added = appendMessage(streamId, { ...message, streamId });
  const mine = String(message.sender?.userId) === String(state.me?.userId);
  if (streamId !== state.currentStreamId && !mine && (added || !state.messages.has(streamId))) {
    state.unread.set(streamId, (state.unread.get(streamId) ?? 0) + 1);
    renderStreamList();
  }
}

// ---- navigation -------------------------------------------------------------------------------------

function updateHash() {
  const parts = [];
  if (state.me) parts.push(`user=${encodeURIComponent(state.me.userId)}`);
  if (state.currentStreamId) parts.push(`stream=${encodeURIComponent(state.currentStreamId)}`);
  history.replaceState(null, '', `#${parts.join('&')}`);
}

async function selectUser(userId, streamId) {
  const user = userById(userId);
  if (!user) return showPicker();
  state.me = user;
  state.currentStreamId = null;
  state.files = [];
  renderPickedFiles();
  state.messages.clear();
  state.unread.clear();
  document.body.dataset.view = 'chat';
  $('me').value = String(user.userId);
  $('conversation').hidden = true;
  $('placeholder').hidden = false;
  updateHash();
  connectLive();
  try {
    await loadStreams();
    if (streamId && state.streams.some((s) => s.streamId === streamId)) await openStream(streamId);
  } catch (error) {
    showError(error);
  }
}

function showPicker() {
  state.live?.close();
  state.me = null;
  state.currentStreamId = null;
  document.body.dataset.view = 'picker';
  $('me').value = '';
  updateHash();
}

async function start() {
  wireDialogs();
  $('composer').addEventListener('submit', (event) => {
    event.preventDefault();
    send();
  });
  $('composer-files').addEventListener('change', pickFiles);
  const input = $('composer-input');
  input.addEventListener('keydown', onComposerKey);
  input.addEventListener('input', updateMentions);
  input.addEventListener('blur', () => setTimeout(closeMentions, 100));
  $('me').addEventListener('change', (event) => {
    const value = event.target.value;
    if (value) selectUser(value);
    else showPicker();
  });
  try {
    state.users = asList(await api('/_sim/users'), 'users');
  } catch (error) {
    showError(error);
  }
  renderUserPicker();
  const params = new URLSearchParams(location.hash.slice(1));
  const userId = params.get('user');
  if (userId && userById(userId)) await selectUser(userId, params.get('stream') ?? undefined);
  else showPicker();
  document.body.dataset.ready = 'true';
}

start();
