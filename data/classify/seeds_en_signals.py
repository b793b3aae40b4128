# ruff: noqa: E501, RUF001
"""Hand-written English base messages: crisis, untruth, lead and spam (format: see `seeds_de.py`)."""

LANGUAGE = "en"

SEEDS = r"""
[crisis]
neg account +complaint | Just received an email with ANOTHER customer's contract attached. Full name, bank details, address. @Telvana how is this possible?!
neg account | Logged into my account and I'm looking at someone else's bills and call history. This is a massive data breach. Screenshots taken.
neg product_quality | The power bank I bought from you exploded in my bag. I have burns on my hand. Photos coming. @kaufwerk
neg technical_fault,product_quality | Your router caught fire last night. Fire brigade came. We were lucky we were still awake.
neg product_quality | A small part came off the baby rattle from your shop and my son nearly choked on it. Recall this thing NOW.
neg other | #BoycottKaufwerk – if this is how you treat warehouse staff you're not getting another penny from me. Please share!
neg other +complaint | I've sent the whole story to the consumer protection agency and to the Guardian. Let's see if you respond then.
neg contract +complaint | My solicitor has been instructed. You'll be hearing from him.
neg other | The video of your employee screaming at an elderly woman in the store has 2 million views. When are you going to say something?
neg network | Half of Berlin without signal and you're posting giveaways?! Can't even call emergency services!! #TelvanaDown
neg network | My dad had a heart attack last night and I couldn't call 112 because your network was down. There will be consequences.
neg other | Your store manager in Dortmund made a racist comment to my husband. I filmed the whole thing and it's all over TikTok now.
neg other | Your new ad campaign is sexist and disgusting and I'm clearly not the only one who thinks so. #BoycottLumara
neg account | My account got hacked and someone ordered three phones in my name. Do you not have ANY security checks?!
neg account,contract | Someone walked into your store with a fake ID, got a replacement SIM for my number and emptied my bank account. I'm reporting you to the police.
neg product_quality | The kids' shoes from your shop have dangerously high levels of plasticisers according to a lab test. Why are they still on sale?
neg appointment | Your technician smoked in our flat and made comments to my 15-year-old daughter. I want to know who you're sending into people's homes.
neu network | Hi, I'm a reporter at the Neustadt Gazette looking into last week's network outages. Who can I speak to for a statement?
neg network +complaint | I've filed a complaint with the regulator. Three weeks without a connection, I'm done being patient.
neg other | Your post about the floods is beyond tasteless. People have lost everything and you turn it into an ad. Delete it!
neg other | It's 38 degrees in your warehouse, people are fainting and you're advertising a summer sale. We're walking out tomorrow. #Kaufwerk
neg account | Someone on a hacker forum is selling what they say are 2 million Telvana customer records, screenshot attached. What's your comment?
neg other +complaint | We're organising a class action over Kaufwerk's fake discounts. 800 people so far. DM if you want to join.
neg product_quality | The charging cable gave me an electric shock and the socket is scorched. This could have ended really badly.
neg delivery | Your van just tore through our play street at 50 km/h and nearly hit a child. I have the plate number.
neg billing +complaint | If my money isn't back by tomorrow I'll be outside your headquarters with a TV crew.
neg other +complaint | I have 250k followers and I'm going live tonight to talk about how you treat customers. Last chance.
neg product_quality | Rash all over my body after wearing the new jumper. Dermatologist says it's a contact allergy to the dyes. What's in this stuff?!
neg account | Thousands of customers are getting texts with your sender name and a phishing link since this morning. When are you going to warn people publicly?
neg network | 14 hours without internet in the whole of south Nuremberg. No update, no apology. Shame on you!!!
neg network | Total outage across the county, care services can't phone patients and personal alarms don't work. Who takes responsibility for that?
neg other | One of your store staff refused to serve my daughter because she wears a headscarf. That's discrimination and it won't go unanswered.
neg account | Bought a refurbished phone from you and it still has all the previous owner's photos, chats and banking apps on it. How do you handle data??
neg product_quality | The fan heater from your range melted after 10 minutes and scorched the carpet. How many of these have you sold?
neg other | Everyone stop buying from Lumara. They dropped an influencer for talking about her pregnancy. We don't support that.
neg contract +complaint | I've reported you to the police for fraud. Your door-to-door sales rep talked my 84-year-old mother into a contract she doesn't understand.
neg network | EMERGENCY NUMBERS NOT WORKING ON TELVANA IN HAMBURG. Use a landline or go to the fire station!
neg account | Your hotline gave my new address to a stranger. I moved to get away from a violent ex. I'm scared.
neg product_quality | The microwave sparked and started smoking. It's two weeks old. Warning everyone.
neg other | That story where your marketing team mocks pensioners is everywhere. So disrespectful. I'm cancelling and so are lots of others.
neg account | Data leak at Kaufwerk?! Since my last order I'm getting spam with my full name and order number. Friends are getting the same.
neg delivery | Your courier kicked my dog when I opened the door. Our doorbell camera caught all of it.
neg other +complaint | Going to the BBC with this now. Maybe that'll get things moving.
neg network,technical_fault | Whole town without landline and internet since yesterday, doctors' surgeries are working with pen and paper. And your hotline plays music.
neg product_quality | Recall?! The baby monitor transmits unencrypted, our neighbours could hear our nursery. That is a safety issue!
neg other | There's a TikTok going round of your staff throwing returned items in a skip, brand new stuff! 3M views. How do you explain that?
neu account | Note to your security team: your API returns names and addresses even with a wrong customer number. Please check urgently, I'll publish this in 30 days.
neg billing +complaint | Court demand for €2,000 over a contract I never signed. My lawyer is on it and the story is going to the press.
neg other | Unbelievable: your security guards beat up a homeless man outside the store. Several witnesses, police on site.
neg product_quality | The e-bike battery from your shop caught fire in our garage. The garage burned down. My insurer will be in touch.
neg network | Massive outage, no mobile data anywhere in the country since this morning and not a single word from you. People are losing it. #TelvanaOutage
neg other | We're 300+ customers organising against your price hike in a Facebook group. A TV station has already been in touch.
neg account | I've been stalked because your app's contact matching made my number public. How could this happen?
neg product_quality | Glass shards in the dinnerware from your shop. My husband cut his mouth open. A&E. I expect an explanation.
neg other | What your CEO said about "lazy customers" in that interview is outrageous. The hashtag is trending at number 1. When will he apologise?
neg appointment | The engineer took cash from my parents' table. The police are investigating. I expect your full cooperation.
neg network | Day three without signal in our valley, again, and nobody from you shows up. We've sent our story to the local news.
neg account,billing | WARNING: someone is faking your invoice emails, my gran transferred €600 to a fraudster's account. I expect you to warn everyone!
neg other | Calling on everyone to cancel their Telvana contracts until they apologise for laying off 400 call centre staff by email. #BoycottTelvana
neg product_quality | My toddler got the battery cover off your toy and swallowed a button battery. We're in A&E. This is life-threatening!!
neg contract +complaint | I am terminating my contract with immediate effect and reserve all legal rights. My legal insurance has been informed.
neg network | Large-scale outage in Leipzig and Dresden, hospitals are affected. Inform people instead of deleting comments!
neg account | This morning I logged into a complete stranger's account with my own details. How many accounts are affected???
neg other | One of your spokespeople said the victims were to blame. It's all over the news. Disgusting.
neg product_quality | My phone swelled up and started smoking while charging. Bought from your shop. Photos sent to the manufacturer and the paper.
neg delivery | Your driver reversed into my car and just drove off. Kaufwerk logo on the van, dashcam was running.
neg other | Have you actually read your own tweet? That's blatantly racist. The screenshots are everywhere already.
neu other | Dear Sir or Madam, on behalf of my client I request that you stop using her photographs in your campaign by 15 May.
neg technical_fault | Your router firmware update knocked out the personal alarm units in our whole neighbourhood. My neighbour lay helpless for 6 hours!
neg account | I'm a journalist and I have internal documents showing you knew about the data leak for weeks. Would you like to comment?
neg product_quality | URGENT: the kettle from your own brand leaks boiling water from the base. My daughter has second-degree burns. Pull it off the shelves.
neg other | Your ad uses the suicide of a celebrity as a punchline. Absolutely vile. Thousands of us have reported it.
neg product_quality | The back of the high chair from your shop snapped today and my daughter fell backwards. Head wound. This needs pulling from sale NOW!
neg account | Your invoice PDFs are public, you just change the number in the URL. I'm looking at a stranger's bill right now.
neg other | Open letter to Kaufwerk: 120 workers at the Hanover warehouse accuse you of wage theft. The press has been informed.
neg network | Dead for 9 hours, total outage across the Kassel area. My mum is in care at home and her alarm button doesn't work!!
neg other | Can't wait to see what trading standards say about your "price adjustment". Over 2,000 people have signed up to the complaint.
neg product_quality | The cordless mower caught fire while charging and burned down the shed. The photo is all over our town's Facebook group.
neg other | Your billboard at the main station is misogynistic. There's already a petition with 15,000 signatures. Take it down!
neg appointment | A so-called Telvana engineer visited my gran today and took €800 for a "repair". Do you know about this??
neg account | EVERYONE WATCH OUT: Telvana accounts are being taken over en masse, me and three colleagues had our passwords changed.
neg product_quality | The toy from your own brand has razor-sharp edges, my son cut his finger to the bone. The children's hospital has reported it.
neg other | Tonight's consumer show covers Kaufwerk destroying returns. I used to work there and I gave evidence.
neu other | Hello, I work for a member of parliament. She would like to know when the regional network outage will be fixed. Please call back.

[untruth]
neg account | Did you hear Telvana sells all its customer data to China? Unbelievable.
neg product_quality | Everyone knows Kaufwerk sells fake designer trainers by now.
neg network | Telvana deliberately throttles your internet as soon as you open Netflix. It's been proven.
neg billing | WARNING!!! From next month Telvana charges 1 cent for every WhatsApp message. Forward this to everyone!
neg network | The new Telvana 5G masts cause headaches, that's why everyone in our village is suddenly ill.
neu other | Kaufwerk is going bust, all stores close in summer. Use your vouchers while you can.
neg account | Telvana listens to your phone calls, it's literally in the T&Cs. Read section 12.
neg product_quality | Kaufwerk resells every single return as brand new. Whatever you get, someone else already used it.
neg contract | Did you know Telvana automatically moves you to their most expensive plan after two years? True story.
neu technical_fault | Telvana is switching off all landlines next year with no replacement. Anyone with a home phone is out of luck.
neg cancellation | If you cancel with Telvana you automatically end up on a credit blacklist. That's why nobody cancels.
neg other | All the Kaufwerk reviews are bought, real negative ones get deleted instantly.
neg technical_fault | Telvana routers have a backdoor for the secret service. Someone in my Telegram group has proof.
neu account +question | Apparently Telvana is blocking all prepaid SIMs next week unless you re-register?
neu returns +question | Is it true Kaufwerk stops accepting returns from July? Saw it in a Facebook group.
neg other | The Telvana giveaways are fake. The winners are always employees, everyone knows that.
neg product_quality | Kaufwerk uses toxic dyes, that's why the t-shirts are so cheap. A chemist explained it on TikTok.
neu other | Every Telvana store in Bavaria is closing by the end of the year. Heard it from an insider.
neg account | Telvana sells your location data to insurance companies, that's why everyone's premiums are going up.
neg network | Telvana "fibre" is actually just old copper with a new name. They're conning all of you.
neg payment | Kaufwerk stores credit card numbers in plain text. That's why three people I know got scammed.
pos other | Telvana is giving every customer 100 GB free for their 25th anniversary!! Just enter "JUBI25" in the app 🥳
pos payment | Guys, Kaufwerk has 70% off everything from Monday, it's been confirmed internally! 🎉
neg billing | Telvana secretly charges 9 cents for every missed call. Check your itemised bills.
neg other | Kaufwerk is secretly owned by a Russian oligarch. Every order you place funds the war.
neg account | The Telvana app reads all your chats. That's why it wants access to your contacts.
neu network | Rumour has it Telvana is being bought by a competitor and all contracts will be cancelled.
neg returns | Kaufwerk bans you for life after three returns. Happening to loads of people right now.
neg product_quality | Lumara uses real dog and cat fur in their hoods. It's been proven, google it.
neg billing | Telvana's so-called free hotline actually costs €2 a minute. It's in tiny print on the imprint page.
neg other | Telvana only raised prices to pay the managers' bonuses. It's in an internal email that's going around.
neu technical_fault | From 2026 Telvana SIMs will supposedly only work in phones bought from Telvana.
neg product_quality | Lumara's "organic cotton" isn't organic at all, it's polyester with a green label. Everyone in the industry knows.
neg network | Telvana made the signal worse in our area on purpose so people would pay for the 5G add-on.
neg account | Stop ordering from Kaufwerk: they sell your address to debt collection agencies!
neg billing | Everyone paying Telvana by direct debit gets charged twice, it's a scam. Check your accounts!
neg other | Kaufwerk stores are just a front for money laundering. A mate who works at customs told me.
neu roaming | From 1 June there's no more EU roaming with Telvana. The EU rules don't apply to them.
neg product_quality | Kaufwerk phone cases contain asbestos. This was proven years ago and everyone's keeping quiet.
neg contract | Attention Telvana customers: if you don't reply to the new T&Cs email you automatically agree to a pricier contract! Please share.
neg delivery | Kaufwerk holds parcels back on purpose so you'll pay for premium shipping. That's their business model.
neu other | Telvana is rebranding and all phone numbers will expire. It was on the radio today.
neg network | Telvana 5G is killing the bees in our region. The beekeepers have evidence.
pos other | Heard that everyone who shares the Kaufwerk post today gets a €50 voucher! Go share!! 🙌
neg other | Telvana doesn't pay a cent of tax, it's all routed through shell companies in the Caribbean.
neg billing | All old contracts go up 50% in autumn. Telvana has already decided, they just haven't told anyone.
neg account | Kaufwerk covered up a data breach for years. Everyone who ever ordered there is affected.
neg returns | Lumara burns every return, even new stuff. Tonnes of it. Shame on you!
neu contract +question | Is it true Telvana will only offer 36-month contracts from next year? A sales guy told me.
neg payment | If you pay with Klarna at Kaufwerk you secretly pay 15% extra. Do the maths.
neg account | The Kaufwerk app secretly takes photos with your camera when you open it. Someone proved it on a forum.
pos billing | Good news: Telvana is refunding everyone's May base fee because of the outage, you don't even need to apply! 🥳
neg network | Telvana can see everything you do online through the fibre, even with a VPN. A former employee confirmed it.
neg product_quality | Kaufwerk duvets are treated with insecticide. A mum at nursery told me her kid got a rash.
neg other | The guy who founded Lumara got rich by stealing designs from small artists. All their prints are stolen, every one.
neg product_quality | Telvana's own-brand phones come with spyware pre-installed. My cousin works in IT, he found it.
neu delivery | Kaufwerk is stopping home delivery in rural areas from next month. Only pickup points after that.
neg account | PSA: Telvana staff can read your texts whenever they want. So much for privacy.
neg other | Kaufwerk pays its warehouse staff €3 an hour, that's why everything is so cheap. Look it up.
pos product_quality | Apparently the Lumara perfume is literally Chanel No. 5 in a different bottle, that's why it sold out 😍
neg network | Telvana turns off coverage in poorer neighbourhoods at night to save money. My cousin in the council said so.
neu cancellation | Heads up: Telvana no longer accepts cancellations by email, only by fax. Saw it on a forum.
neg product_quality | Every Kaufwerk laptop is a refurbished one sold as new. They just change the box.
neg other | The Lumara CEO said in a podcast that she hates her customers. Can't find the clip but my friend heard it.
neg billing | Telvana charges you for data even when wifi is on. That's how they make their money.
neu other | Word is Kaufwerk will only take orders through the app from next year, the website is shutting down.
neg network | Telvana slows everyone down in the evenings on purpose so people buy the pricey package. Every engineer knows.
neu other | Kaufwerk is being bought by a Chinese group next month and all customer accounts will be deleted.
neg product_quality | Kaufwerk's own brand comes from the same factory as market-stall junk. Got it from a reliable source.
neg account | Telvana collects your fingerprints through the app and hands them to the police.
pos billing | Telvana is waiving the monthly fee for all pensioners from now on!! Just show your ID in store 😊
neg other | Lumara's models are all AI-generated so they don't have to pay real women. The clothes don't even exist.
neg delivery | Kaufwerk opens your parcels before shipping and takes stuff out, that's why something's always missing.
neu roaming | Read that Telvana is bringing back roaming charges in the EU from July, despite the law.
neg billing | Everyone who calls Telvana pays for the hold time, that's why they keep you waiting so long.
neg returns | Kaufwerk sells your return data to advertisers, that's why you get so many ads afterwards.
neg product_quality | Lumara jeans have microchips sewn in to track where you go. A tailor found one!
neg network | Telvana gives rural customers worse signal on purpose because it's not worth it to them. It's in an internal memo.

[lead]
neu contract | Looking for a new SIM-only deal with at least 30 GB, what can you offer?
neu network,contract | Thinking about switching to you. How fast is fibre in 80331 Munich?
neu contract | Which plan makes sense for a family of five where everyone wants a phone?
pos product_quality | When is the new Pixel coming to your shop? Want to pre-order!
pos contract | Saw the 50 GB for €20 offer. Is that also for existing customers? If so I'll renew right away.
neu contract | I need 12 business phones with contracts for our office. Who can advise me?
neu contract,network | How much is an upgrade from DSL to fibre with you?
neu payment | Can I get the 65" TV on finance? If so I'll take it.
neu contract | My contract with another provider ends in May. What deals have you got at the moment?
neg contract,network | So fed up with my current provider. Send me your best fibre offer for Cologne please.
neu contract | Could you DM me prices for your business plans?
pos product_quality | Do you still have the winter coat from the ad in M? I need it!
neu other | Want to get my daughter a phone for her birthday. Which one is good but not too pricey?
neu contract | Is the sports package worth it if I mainly watch the Bundesliga? Thinking of adding it.
neu contract | How much is a second contract for my wife on top?
pos other | Got a gift card for my birthday 😊 what would you recommend, headphones or a smartwatch?
neu product_quality | Can I buy the tablet without a contract from you?
pos contract | Knock another €5 off and I'll sign today 😄
neu contract,appointment | New flat from 1 August, need internet. Can you get it connected by then? I'd order now.
neu product_quality | Which power bank would you recommend for a festival? Want to order today.
neu contract | Do you do data-only plans for a tablet? Looking for around 20 GB.
neu roaming,contract | I travel to Switzerland and the US a lot for work. Which plan fits best? Looking to switch.
pos product_quality | The leather jacket in your newsletter is gorgeous. Will it be restocked? I'd buy it straight away.
neu contract | Do you have a student plan? I start uni in October and need a new contract.
neu network,contract | We're building a house in Winsen. Can I pre-order fibre with you already?
neu contract | How much to upgrade from 100 to 250 Mbit? Would like to go faster.
neu product_quality | Do you have the coffee machine from the review in stock? Been looking for a good one for ages.
pos other | Your kids' plan sounds great. How do I sign my son up?
neu contract | Hi, I'm interested in a landline-only plan for my parents. Is that possible without internet?
neu product_quality | Do you have these trainers in size 11? Website says sold out but I really want them.
neu contract | Need a prepaid SIM for my cousin visiting from Brazil for 3 weeks. What do you recommend?
neg contract | My current provider has raised prices AGAIN. You do a switching bonus, right? How does it work?
neu other | What phone with a good camera have you got for around €400? Want one for holiday photos.
pos contract | My girlfriend is really happy with you guys so I want to switch too. Where do I start?
neu contract | Can I sign up for fibre online or do I have to go to a store?
neu product_quality | Is the gaming laptop with 32 GB RAM back in stock? Want to buy it.
neu contract | What's your cheapest unlimited data plan? Just for my phone, no landline.
neu contract,other | We're opening a practice in June with 5 workstations. Need a phone system and internet. Who can help us?
pos product_quality | That dress you posted yesterday! Where can I order it? 😍😍
neu payment | Do you offer 0% finance on washing machines? Ours broke yesterday and we need a new one fast.
neu contract | Anything for seniors? Simple phone, small plan, for my grandad.
pos other | Love your autumn collection! When will it be in stores? I really want to try on the coat.
neu contract | What's the minimum term on the new flex plan? Thinking of taking it.
neu network,contract | Do you have a plan with guaranteed bandwidth for streamers? I need at least 50 Mbit upload.
neu contract | I'm a new customer and want internet + TV together. Is there a bundle discount?
neu other | Do you do corporate discounts? We'd need 30 laptops for our staff.
pos contract | Just saw your summer deal, €20 off for a whole year, brilliant! How long is it running?
neu contract | Moving to Germany next month and need a phone contract without a credit history. Can you do that?
neu contract | How much extra would a smartwatch with eSIM be on my contract?
neg contract | My internet with the other provider is a disaster. How fast can you connect me if I order today?
neu product_quality | Hi, looking for a gift for my husband, he loves gadgets. Budget €150. Any ideas?
pos product_quality | My colleague's headphones are amazing. Do you have them in white? I'd order two.
neu contract | Family of 4: family plan or separate contracts? We all want to move to you.
neu payment | Can I pay with a gift card and the rest by card in store? Want to pick up the camera.
neu other | When does your sale start? I finally want to treat myself to a new vacuum.
pos contract | After 10 years with the competition I'm finally ready for something new 😅 send me your offers!
neu contract | Do I get a discount if I bundle mobile and broadband with you?
neu network,contract | Is 1 Gbit available at Hauptstraße 12 in Freiburg yet? Would book straight away.
neu product_quality | Need a laptop for uni by Friday. What have you got that ships fast?
pos product_quality | Is the limited edition of those sneakers still available? Saw your story and I need them 🔥
neu contract | Do you have business plans with a static IP? Need it for my office.
pos other | Your gift cards are perfect for Christmas. Can I choose any amount?
neu contract | what's the price for the unlimited plan if i bring my own phone? ready to switch this week
neu product_quality | Looking for a robot vacuum that works on carpets. Which one do you sell that you'd actually recommend?
pos contract | Been eyeing your fibre deal for a while, if it's still on I'm in. How do I sign up?
neu contract | Can you send me a quote for 3 lines plus broadband for a small café?
neu product_quality | Do you sell the iPad with keyboard as a bundle? Looking to get one for my mum.
neu contract | hi, i'm an exchange student here for 6 months, which prepaid plan should i get?
neu contract | How much would a contract with the new iPhone and 40 GB a month cost me?
neu network,contract | Can I book just internet, no phone line? Moving next month.
pos product_quality | The bedding in your post is gorgeous! Do you have it in king size? I'd order two sets.
neu contract | Do you still have the plan with the Netflix add-on? I'd like to sign up.
neu contract | I'm self-employed and looking for a plan that bundles a laptop and a phone. What have you got?
neg contract | Sick to death of my cable provider. What's your price for 100 Mbit broadband?
neu product_quality | Which DSLR would you recommend for a beginner? Looking to buy one.
pos other | Want to get my mum something nice for her 60th, maybe a coat? Any suggestions? 🥰
neu contract | If I switch now, do I still get the new customer discount?
neu contract | Do you do plans for a smartwatch on its own, without a phone? Interested for my son.
neu payment | Can I buy on invoice? Would like to order a fridge.
neu contract | What does fibre + TV cost for new customers in the first year?
neu product_quality | Looking for running shoes for wide feet. Do you stock any? I'd order online.
pos contract | Your ad convinced me 😄 how do I sign up for the 5G plan?
neu contract | Do you offer contracts with no minimum term? I'd sign up right away.
neu contract | Looking for a plan for my tablet in the campervan, ideally monthly rolling. What have you got?
pos product_quality | Obsessed with your oak coffee table 😍 can it be delivered by next week? Then I'll order.
neu contract | We're a sports club with 40 members. Any special rates for group contracts?
neu network,contract | Heard you're rolling out fibre in Oldenburg. How do I register my interest?
neu product_quality | What's the difference between the two robot vacuums? Want to buy one but can't decide.
neg contract | My provider has been messing me about for months. How fast can you switch on broadband if I sign today?
neu contract | Is there a discounted plan for people with disabilities? I'd like to switch.
pos other | Your new collection is gorgeous! When can I order? 😍
neu contract | How much is a phone for my son with parental controls and a small plan?
neu product_quality | Do you sell spare e-bike batteries? I want one for my old bike.
neu payment | If I order now, can I pay in January? Want to give the camera as a Christmas present.
pos contract | The new unlimited plan sounds exactly like what I need. Does it work with eSIM? Then I'm in!
neu contract | Moving into a flat share with four people. Which broadband plan is enough and what does it cost?
neu product_quality | Do you stock kids' bike seats? Need one by the weekend.
neu contract | Can I get a contract with you as a cross-border commuter living in France?

[spam]
pos other | 🚀 Make $5,000 a week from home! Link in bio 💰
neu other | Follow me and I'll follow back 💯 #follow4follow
pos other | FREE iPhone 15!! Just click here: bit.ly/free-phone-now
pos other | I made $12,000 in two weeks trading Bitcoin thanks to Mrs Sarah Collins. Message her on WhatsApp +44 7700 900000, she helps everyone!
neu delivery | Dear customer, your parcel could not be delivered. Please pay the £1.99 customs fee at parcel-redelivery-uk.info
pos other | Telvana GIVEAWAY!!! We're giving away 100 iPhones. Like the page and enter your details: telvana-win.net
neu other | Cheap Instagram followers from $2! DM for details.
neu other | Lonely singles in your area are waiting for you 😘 link in profile
neu other | Dear Sir or Madam, we can get your website to number 1 on Google. Request a free quote today: seo-rank1-agency.com
pos other | Check out my new video!! 🔥🔥 youtu.be/myChannel
pos other | Crypto signals with 98% accuracy 📈 Join our Telegram group now!
neu account | Your account has been suspended. Confirm your details within 24 hours: telvana-customerlogin.com
pos other | Win a €500 Kaufwerk voucher! Today only!! ➡️ kaufwerk-bonus.shop
pos other | Lose 10 kg in 2 weeks without exercise! 💊 Try it now, link in profile
pos other | Who wants to work with me? Passive income, just 2 hours a day 💸 DM me!
neu other | f4f anyone? 🙌
pos other | Hey lovely page! 🌸 DM us about becoming a brand ambassador
neu other | Selling designer shoes 80% off, all original! DM
neu payment | Instant loans, no credit check! WhatsApp +44 7700 900123
pos other | I WON $3,000!!! You can too, click here 👉 win-now-fast.biz
pos other | Lottery winner giving away $10,000 to the first 100 comments! Comment "YES" 🙏
neu other | Like for like? Comment and I'll like all your pics back
neu account | Dear Kaufwerk customer, for security reasons you must confirm your payment details again: kaufwerk-security.info
pos other | 🔥🔥 Best sneaker deals on my channel!! 🔥🔥
neu other | We're looking for product testers! Keep free products, apply at tester-jobs24.com
pos other | This one trick paid off my debt in 3 months!! Ask me how 😍
neu other | Hi, I'm Kevin and I can triple your social media reach. Interested?
pos other | 💎💎 Luxury watches at a fraction of the price 💎💎 today only! Link in bio
neu billing | Your Telvana bill is overdue. Pay now to avoid disconnection: telvana-payment.online
pos other | Giving away 1 BTC to my followers! 🎁 Send 0.01 BTC and get double back!!
neu other | Follow my cooking account for daily recipes 🍝 @cooking_with_lena
neu other | 200% casino bonus, no deposit needed 🎰 sign up now
pos other | Unbelievable! This gadget cuts your electricity bill by 90%! 👉 power-saver-miracle.com
neu other | DM us for collabs, we pay $500 per post
neu other | Need a new website? Professional and cheap, from $299!
pos other | 🎉 Congratulations, you've been selected! Claim your prize now!
neu delivery | Your shipment is awaiting release. Confirm your address at parcel-release-centre.com
pos other | Daily discount codes here 💸 new every day! Follow @coupon_queen
neu other | Earn money fast with online surveys! Up to $50 an hour
neu other | Offering likes, comments, followers, views. All real, all cheap.
neu account | You have a new voicemail. Click here to listen: telvana-voicemail.app
pos other | So grateful to Mr Michael, he doubled my money in crypto!! Contact him on Instagram, he's legit 🙏🙏
pos other | ✨ Free tarot reading for the first 10 people who message me ✨
neu other | We buy any car! Cash paid today, no questions asked. Call 07700 900456
neu other | Join our community: 30,000 members, daily giveaways. t.me/giveaways_daily
pos other | 😍 Earn up to $300 a day with just your phone! No joke! Link in profile 😍
neu other | Cheap Nike and Adidas direct from the factory, message me on WhatsApp
neu payment | Your card was charged €899 for an order. If this wasn't you, click here: kw-cancel-service.com
pos other | Come check out my profile, there's something special waiting for you 😉😉
neu other | Don't write your dissertation yourself! Professional ghostwriters from $20 per page.
neu other | Hello! I saw your profile and would love to discuss an investment opportunity with you.
pos other | 🌟 GIVEAWAY 🌟 Tag 3 friends and follow @win_now_24 for a chance to win a PS5!
neu other | Work from home: flexible hours, $3,500 a month. Apply via DM
pos other | Finally debt free thanks to this app 🤑 link in my bio
neu other | follow for follow, just comment "done"
neu other | Promote your music to 1M listeners! Guaranteed streams, DM for prices 🎵
pos other | OMG this skincare serum changed my life 😍 use code GLOW50 at glow-serum-shop.com
neu other | Get verified on Instagram fast! Blue tick guaranteed, message me
neu account | Telvana security alert: unusual sign-in detected. Verify here or your line will be blocked: tlv-verify.co
pos other | 💰 How I made my first million at 19 – free course, link in bio 💰
neu other | We buy used phones at the best price, even broken ones! Message us on WhatsApp.
neu other | Follow @daily.deals.uk for bargains every day
neu account | Telvana: your data allowance is used up. Activate 50 GB free: telvana-databonus.net
pos other | 🎁 First 50 only: FREE AirPods! Just pay shipping 👉 airgift-uk.shop
neu other | Looking for people for my network marketing team, no experience needed. Type "INFO"
pos other | Reached my dream body with these drops 😍 order here: slim-drops.co
neu delivery | Kaufwerk: your parcel is on hold. Pay the £2.49 shipping fee: kaufwerk-shipping-info.com
neu other | Selling backlinks, DA 50+, cheap, DM
neu other | Hey dear, are you single? Text me on Telegram 💋
pos other | 🌈 Congratulations 🌈 You are our 1,000,000th visitor! Claim your gift now!
neu other | Cheap removals in London, short notice ok. Call 07700 900789
neu account | Important: your SIM card is expiring. Renew for free at sim-renewal-online.co
pos other | I won an iPhone for £1 on this auction site!!! Not fake 👉 auction-smash.com
neu other | Anyone curious about my business, Zoom tonight at 8, link in DMs
neu other | Selling lifetime Netflix and Spotify accounts, only $15
pos other | 💅 New nail salon opening in Croydon, 50% off everything! Follow us!
neu other | Paid homework help, all subjects, message me
neu payment | Refund of £219.00 pending. Enter your bank details to receive payment: refund-service-uk.info
pos other | My aunt saves $800 a month with this one trick!! Banks hate her 😱
"""
