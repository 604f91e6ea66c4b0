/*
 * Lupus Biologics Assistant: website chat widget.
 *
 * Plain JavaScript, no framework and no build step. It talks to Rasa's `socketio` channel
 * through socket.io-client (loaded before this script as /widget/socket.io.min.js).
 * Embed:
 *   <link rel="stylesheet" href="https://ASSETS/widget/lupus-chat.css">
 *   <script src="https://ASSETS/widget/socket.io.min.js" defer></script>
 *   <script src="https://ASSETS/widget/lupus-chat.js" data-server-url="https://RASA-SERVER"
 *           data-lang="fr" defer></script>
 * (data-lang: the language to start in, "en" or "fr"; without it, the page's <html lang>.)
 *
 * Rasa's socketio protocol (rasa/core/channels/socketio.py, session_persistence: true):
 *   - after every connect the client emits `session_request` {session_id: stored id or null}
 *     and the server answers `session_confirm` with the id (and joins the socket to its room);
 *   - every `user_uttered` carries {message, session_id}, or Rasa drops it;
 *   - one bot text arrives as several `bot_uttered` {text} events (split on blank lines),
 *     the last one carrying `quick_replies` [{content_type, title, payload}].
 *
 * Safety: every text is rendered with textContent (never innerHTML) and no link is made
 * from text. The conversation is kept in sessionStorage, not localStorage, so health
 * questions do not outlive the browser tab on a shared computer.
 */
(function () {
  'use strict';

  // The widget's own words, in the languages the assistant answers in. The conversation's
  // language decides which: the embed's data-lang (else the page's <html lang>) at first, then
  // the language of the assistant's replies (each bot_uttered says it: `lang`).
  var TEXTS = {
    en: {
      launcher: 'Questions about lupus biologics?',
      title: 'Lupus Biologics Assistant',
      notice: 'Automated assistant, general information only. In an emergency call your local emergency number.',
      close: 'Close chat',
      log: 'Conversation',
      inputLabel: 'Your question',
      placeholder: 'Type your question…',
      send: 'Send',
      typing: 'Assistant is typing…',
      bot: 'Assistant:',
      user: 'You:',
      suggestions: 'Suggested questions',
      offline: "Can't reach the assistant right now.",
      connecting: 'Connecting to the assistant…',
      noReply: "The assistant didn't answer. Please send your question again.",
      retry: 'Retry'
    },
    fr: {
      launcher: 'Des questions sur les biothérapies du lupus ?',
      title: 'Assistant biothérapies et lupus',
      notice: "Assistant automatique, informations générales seulement. En cas d'urgence, appelez le 15 ou le 112 (ou votre numéro d'urgence local).",
      close: 'Fermer la discussion',
      log: 'Conversation',
      inputLabel: 'Votre question',
      placeholder: 'Écrivez votre question…',
      send: 'Envoyer',
      typing: "L'assistant écrit…",
      bot: 'Assistant :',
      user: 'Vous :',
      suggestions: 'Questions suggérées',
      offline: "Impossible de joindre l'assistant pour le moment.",
      connecting: "Connexion à l'assistant…",
      noReply: "L'assistant n'a pas répondu. Merci de renvoyer votre question.",
      retry: 'Réessayer'
    }
  };
  var TEXT = TEXTS.en; // set below, once the script's settings are read
  var REPLY_SETTLE_MS = 700; // one reply is several bot_uttered events: wait for the last one
  var REPLY_TIMEOUT_MS = 20000;
  var MAX_TRANSCRIPT = 200; // keeps sessionStorage small in a very long conversation
  var SESSION_START = '/session_start'; // makes Rasa send the opening disclaimer

  var script = document.currentScript || document.querySelector('script[data-server-url]');

  /** 'en' or 'fr' from a language tag such as "fr-CA", or null for any other. */
  function spoken(tag) {
    var code = String(tag || '').slice(0, 2).toLowerCase();
    return TEXTS.hasOwnProperty(code) ? code : null;
  }

  var defaultLanguage = spoken(script && script.getAttribute('data-lang')) ||
    spoken(document.documentElement.getAttribute('lang')) || 'en';

  function isLoopback(hostname) {
    return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
  }

  /** The server's origin, or null. socket.io reads a URL path as a namespace, so keep the origin only. */
  function toOrigin(value) {
    if (!value) return null;
    try {
      // Absolute URLs, or a path on this site (a reverse proxy); an unreplaced placeholder
      // such as "__RASA_SERVER_URL__" is neither and is refused.
      var url = value.charAt(0) === '/' ? new URL(value, window.location.href) : new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') ? url.origin : null;
    } catch (error) {
      return null;
    }
  }

  /**
   * data-server-url, or a `?server=` override used by tests. The override is honoured only
   * between loopback addresses (a page on localhost, a server on localhost), so a crafted link
   * to a real site can never send a patient's questions to somebody else's server.
   */
  function serverOrigin() {
    var configured = toOrigin(script && script.getAttribute('data-server-url'));
    var override = toOrigin(new URLSearchParams(window.location.search).get('server'));
    if (override && isLoopback(window.location.hostname) && isLoopback(new URL(override).hostname)) {
      return override;
    }
    return configured;
  }

  var server = serverOrigin();
  var storageKey = 'lbw:v1:' + (server || 'unconfigured'); // a session id means nothing to another server

  // ---- State, kept in sessionStorage ---------------------------------------------------

  function loadState() {
    var empty = { sessionId: null, transcript: [], open: false, lang: defaultLanguage };
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(storageKey) || 'null');
      if (!saved || typeof saved !== 'object' || !Array.isArray(saved.transcript)) return empty;
      return {
        sessionId: typeof saved.sessionId === 'string' ? saved.sessionId : null,
        transcript: saved.transcript.filter(isEntry),
        open: saved.open === true,
        lang: spoken(saved.lang) || defaultLanguage
      };
    } catch (error) {
      return empty; // storage disabled or corrupt: the widget works, without persistence
    }
  }

  function saveState() {
    try {
      window.sessionStorage.setItem(storageKey, JSON.stringify(state));
    } catch (error) {
      /* storage full or disabled: keep going without persistence */
    }
  }

  function isEntry(entry) {
    return entry && (entry.from === 'bot' || entry.from === 'user') && typeof entry.text === 'string';
  }

  /** Quick replies as [{title, payload}], whatever else the server put in them. */
  function cleanQuickReplies(replies) {
    if (!Array.isArray(replies)) return [];
    return replies.filter(function (reply) {
      return reply && typeof reply.title === 'string' && typeof reply.payload === 'string' &&
        reply.title.trim() && reply.payload.trim();
    }).map(function (reply) {
      return { title: reply.title, payload: reply.payload };
    });
  }

  var state = loadState();
  TEXT = TEXTS[state.lang];

  // ---- DOM -------------------------------------------------------------------------------

  var uid = 'lbw-' + Math.random().toString(36).slice(2, 8);

  function el(tag, className, attributes, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (text !== undefined) node.textContent = text; // text only, never HTML
    return node;
  }

  var root = el('div', 'lbw-root');
  var launcher = el('button', 'lbw-launcher', {
    type: 'button', 'aria-expanded': 'false', 'aria-controls': uid + '-panel'
  });
  launcher.appendChild(el('span', 'lbw-launcher-icon', { 'aria-hidden': 'true' }));
  var launcherText = el('span', 'lbw-launcher-text', {}, TEXT.launcher);
  launcher.appendChild(launcherText);

  var panel = el('section', 'lbw-panel', {
    id: uid + '-panel', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': uid + '-title'
  });
  panel.hidden = true;

  var header = el('div', 'lbw-header');
  var headings = el('div', 'lbw-headings');
  var title = el('h2', 'lbw-title', { id: uid + '-title' }, TEXT.title);
  var notice = el('p', 'lbw-notice', { id: uid + '-notice' }, TEXT.notice);
  headings.appendChild(title);
  headings.appendChild(notice);
  var closeButton = el('button', 'lbw-close', { type: 'button', 'aria-label': TEXT.close });
  closeButton.appendChild(el('span', 'lbw-close-icon', { 'aria-hidden': 'true' }));
  header.appendChild(headings);
  header.appendChild(closeButton);
  panel.setAttribute('aria-describedby', uid + '-notice');

  // role=log is polite by default; aria-live is also set for screen readers that need it.
  // tabindex=0 lets keyboard users scroll a long conversation.
  var log = el('div', 'lbw-log', {
    role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': TEXT.log, tabindex: '0'
  });
  var typing = el('div', 'lbw-typing');
  var dots = el('span', 'lbw-dots', { 'aria-hidden': 'true' });
  dots.appendChild(el('span', 'lbw-dot'));
  dots.appendChild(el('span', 'lbw-dot'));
  dots.appendChild(el('span', 'lbw-dot'));
  typing.appendChild(dots);
  var typingText = el('span', 'lbw-visually-hidden', {}, TEXT.typing);
  typing.appendChild(typingText);
  typing.hidden = true;
  log.appendChild(typing);

  var status = el('div', 'lbw-status', { role: 'alert' });
  var statusText = el('span', 'lbw-status-text');
  var retryButton = el('button', 'lbw-retry', { type: 'button' }, TEXT.retry);
  status.appendChild(statusText);
  status.appendChild(retryButton);
  status.hidden = true;

  var form = el('form', 'lbw-form', { novalidate: '' });
  var inputLabel = el('label', 'lbw-visually-hidden', { for: uid + '-input' }, TEXT.inputLabel);
  var input = el('input', 'lbw-input', {
    id: uid + '-input', type: 'text', autocomplete: 'off', maxlength: '1000',
    placeholder: TEXT.placeholder, enterkeyhint: 'send'
  });
  var sendButton = el('button', 'lbw-send', { type: 'submit' }, TEXT.send);
  sendButton.disabled = true;
  form.appendChild(inputLabel);
  form.appendChild(input);
  form.appendChild(sendButton);

  root.setAttribute('lang', state.lang);

  /** Switch the widget's own words to ``language`` (the conversation's), if it speaks it. */
  function relabel(language) {
    var code = spoken(language);
    if (!code || code === state.lang) return;
    var old = TEXT;
    state.lang = code;
    TEXT = TEXTS[code];
    saveState();
    root.setAttribute('lang', code);
    launcherText.textContent = TEXT.launcher;
    title.textContent = TEXT.title;
    notice.textContent = TEXT.notice;
    closeButton.setAttribute('aria-label', TEXT.close);
    log.setAttribute('aria-label', TEXT.log);
    typingText.textContent = TEXT.typing;
    retryButton.textContent = TEXT.retry;
    inputLabel.textContent = TEXT.inputLabel;
    input.setAttribute('placeholder', TEXT.placeholder);
    sendButton.textContent = TEXT.send;
    Array.prototype.forEach.call(log.querySelectorAll('.lbw-quick-replies'), function (group) {
      group.setAttribute('aria-label', TEXT.suggestions);
    });
    ['offline', 'connecting', 'noReply'].forEach(function (key) {
      if (statusText.textContent === old[key]) statusText.textContent = TEXT[key];
    });
  }

  panel.appendChild(header);
  panel.appendChild(log);
  panel.appendChild(status);
  panel.appendChild(form);
  root.appendChild(launcher);
  root.appendChild(panel);

  // ---- Messages --------------------------------------------------------------------------

  var lastUserMessage = null; // where to scroll so a long reply is read from its start

  function renderEntry(entry, previous) {
    var message = el('div', 'lbw-msg lbw-msg--' + entry.from);
    // Say who speaks once per run of messages, for screen readers.
    if (!previous || previous.from !== entry.from) {
      message.appendChild(el('span', 'lbw-visually-hidden', {}, (entry.from === 'bot' ? TEXT.bot : TEXT.user) + ' '));
    }
    message.appendChild(el('div', 'lbw-bubble', {}, entry.text));
    log.insertBefore(message, typing);
    if (entry.from === 'user') lastUserMessage = message;
    return message;
  }

  function renderQuickReplies(replies) {
    removeQuickReplies();
    if (!replies.length) return;
    var group = el('div', 'lbw-quick-replies', { role: 'group', 'aria-label': TEXT.suggestions });
    replies.forEach(function (reply) {
      var button = el('button', 'lbw-quick-reply', { type: 'button' }, reply.title);
      button.addEventListener('click', function () {
        if (send(reply.payload, reply.title)) input.focus(); // the clicked button is gone
      });
      group.appendChild(button);
    });
    log.insertBefore(group, typing);
  }

  function removeQuickReplies() {
    Array.prototype.forEach.call(log.querySelectorAll('.lbw-quick-replies'), function (group) {
      group.parentNode.removeChild(group);
    });
  }

  function addEntry(entry) {
    var previous = state.transcript[state.transcript.length - 1];
    state.transcript.push(entry);
    if (state.transcript.length > MAX_TRANSCRIPT) state.transcript.splice(0, state.transcript.length - MAX_TRANSCRIPT);
    saveState();
    renderEntry(entry, previous);
    if (entry.quickReplies && entry.quickReplies.length) renderQuickReplies(entry.quickReplies);
  }

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  /** After a reply: the end, unless that would push the question out of view; then the question. */
  function scrollToReply() {
    var end = log.scrollHeight - log.clientHeight;
    var question = lastUserMessage ? lastUserMessage.offsetTop - 12 : end;
    log.scrollTop = Math.max(0, Math.min(end, question));
  }

  // Re-render a saved conversation before the widget is in the page, so the live region
  // does not announce the whole history again.
  state.transcript.forEach(function (entry, index) {
    renderEntry(entry, state.transcript[index - 1]);
  });
  var lastEntry = state.transcript[state.transcript.length - 1];
  if (lastEntry && lastEntry.from === 'bot') renderQuickReplies(cleanQuickReplies(lastEntry.quickReplies));

  // ---- Waiting for a reply ---------------------------------------------------------------

  var settleTimer = null;
  var replyTimer = null;

  function startWaiting() {
    clearTimeout(settleTimer);
    clearTimeout(replyTimer);
    typing.hidden = false;
    scrollToEnd();
    replyTimer = setTimeout(function () {
      stopWaiting();
      showStatus(TEXT.noReply, true);
    }, REPLY_TIMEOUT_MS);
  }

  function replyPartArrived() {
    clearTimeout(replyTimer);
    clearTimeout(settleTimer);
    if (!typing.hidden) settleTimer = setTimeout(stopWaiting, REPLY_SETTLE_MS);
    if (statusText.textContent === TEXT.noReply) hideStatus(); // it came, late
  }

  function stopWaiting() {
    clearTimeout(settleTimer);
    clearTimeout(replyTimer);
    typing.hidden = true;
  }

  // ---- Status line -----------------------------------------------------------------------

  function showStatus(message, withRetry) {
    statusText.textContent = message;
    retryButton.hidden = !withRetry;
    status.classList.toggle('lbw-status--error', withRetry); // errors offer Retry; "Connecting…" does not
    status.hidden = false;
  }

  function hideStatus() {
    status.hidden = true;
    statusText.textContent = '';
  }

  // ---- Connection ------------------------------------------------------------------------

  var socket = null;
  var ready = false; // connected and session confirmed: messages can be sent
  var greetingRequested = false;

  function setReady(value) {
    ready = value;
    sendButton.disabled = !value; // the input stays enabled: typed text is kept while offline
  }

  function goOffline() {
    setReady(false);
    stopWaiting();
    showStatus(TEXT.offline, true);
    // Rasa does not keep what it sent while we were away: ask for the disclaimer again if it
    // never arrived.
    if (!state.transcript.length) greetingRequested = false;
  }

  function connect() {
    if (socket) {
      socket.connect();
      return;
    }
    if (!server || typeof window.io !== 'function') {
      if (window.console) {
        window.console.error('Lupus chat widget: ' + (server
          ? 'socket.io.min.js did not load before lupus-chat.js.'
          : 'set data-server-url to the Rasa server, e.g. https://rasa.example.org.'));
      }
      goOffline();
      return;
    }
    socket = window.io(server, {
      path: '/socket.io',
      // WebSocket first: one connection, so one server worker keeps the whole session (the
      // polling transport's requests may reach another worker, which does not know it; see
      // docs/production.md). Polling only where a WebSocket cannot be opened (some proxies).
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      timeout: 10000,
      reconnectionDelayMax: 10000
    });
    socket.on('connect', function () {
      // Every (re)connect: rejoin the conversation's room, or replies go nowhere.
      socket.emit('session_request', { session_id: state.sessionId });
    });
    socket.on('session_confirm', function (sessionId) {
      var id = typeof sessionId === 'string' ? sessionId : (sessionId && sessionId.session_id);
      if (typeof id !== 'string' || !id) return;
      state.sessionId = id;
      saveState();
      setReady(true);
      hideStatus();
      if (!state.transcript.length && !greetingRequested) {
        greetingRequested = true; // the disclaimer, once, when the chat is first opened
        socket.emit('user_uttered', {
          message: SESSION_START, session_id: state.sessionId, metadata: { lang: state.lang }
        });
        startWaiting();
      }
    });
    socket.on('bot_uttered', receive);
    socket.on('connect_error', goOffline);
    socket.on('disconnect', goOffline);
  }

  function retry() {
    input.focus(); // the Retry button is about to disappear
    if (!socket) {
      connect(); // no socket only when misconfigured: connect() says so again
      return;
    }
    socket.disconnect(); // stop the back-off and try now
    socket.connect();
    showStatus(TEXT.connecting, false); // until connect_error or session_confirm
  }

  function receive(data) {
    if (!data || typeof data !== 'object') return;
    var text = typeof data.text === 'string' ? data.text : '';
    var replies = cleanQuickReplies(data.quick_replies);
    replyPartArrived();
    relabel(data.lang); // the assistant answers in the conversation's language
    if (!text.trim() && !replies.length) return; // images, custom payloads: not used by this bot
    var previous = state.transcript[state.transcript.length - 1];
    if (previous && previous.from === 'bot' && previous.text === text && !replies.length &&
        !(previous.quickReplies && previous.quickReplies.length)) {
      // The same text twice in a row says nothing new. It happens when `/session_start` opens a
      // new conversation: Rasa runs action_session_start for the new tracker and for the intent.
      return;
    }
    addEntry({ from: 'bot', text: text, quickReplies: replies });
    scrollToReply();
  }

  /** Send `message` to Rasa, showing `shown` as the user's bubble. False if offline. */
  function send(message, shown) {
    if (!ready || !socket || !state.sessionId) {
      showStatus(TEXT.offline, true);
      return false;
    }
    removeQuickReplies();
    hideStatus();
    addEntry({ from: 'user', text: shown, quickReplies: [] });
    socket.emit('user_uttered', {
      message: message, session_id: state.sessionId, metadata: { lang: state.lang }
    });
    startWaiting();
    return true;
  }

  // ---- Opening and closing ---------------------------------------------------------------

  function open(moveFocus) {
    panel.hidden = false;
    launcher.hidden = true;
    launcher.setAttribute('aria-expanded', 'true');
    state.open = true;
    saveState();
    scrollToEnd();
    if (!socket || !socket.connected) connect();
    if (moveFocus) input.focus();
  }

  function close() {
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute('aria-expanded', 'false');
    state.open = false;
    saveState();
    launcher.focus();
  }

  launcher.addEventListener('click', function () { open(true); });
  closeButton.addEventListener('click', close);
  retryButton.addEventListener('click', retry);
  panel.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' || event.key === 'Esc') {
      event.preventDefault();
      close();
    }
  });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    if (send(text, text)) input.value = '';
  });

  function mount() {
    document.body.appendChild(root);
    // Reopen after a reload without moving focus: the page decides where focus starts.
    if (state.open) open(false);
  }

  if (document.body) {
    mount();
  } else {
    document.addEventListener('DOMContentLoaded', mount);
  }
}());
